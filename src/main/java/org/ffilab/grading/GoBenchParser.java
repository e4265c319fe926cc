package org.ffilab.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `go test -bench` result lines ("BenchmarkCgoNoop-2  24364582  48.5 ns/op  0 B/op  0 allocs/op")
 * as metrics: one per benchmark and unit, named without the GOMAXPROCS suffix. With -count=N the
 * median of the runs is kept, which one slow run on a shared machine does not move.
 */
final class GoBenchParser implements ReportParser {

	private static final Pattern LINE = Pattern.compile("^(Benchmark\\S*?)(?:-\\d+)?\\s+(\\d+)\\s+(.+)$");

	@Override
	public String tool() {
		return "gobench";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains("Benchmark") && text.contains("ns/op");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		Map<List<String>, List<Double>> runs = new LinkedHashMap<>();
		for (String line : ReportText.lines(text)) {
			Matcher m = LINE.matcher(line.strip());
			if (!m.matches()) {
				continue;
			}
			String[] tokens = m.group(3).strip().split("\\s+");
			for (int i = 0; i + 1 < tokens.length; i += 2) {
				Double value = ReportText.decimal(tokens[i]);
				if (value == null) {
					break;
				}
				List<Double> values = runs.computeIfAbsent(List.of(m.group(1), tokens[i + 1]), (key) -> new ArrayList<>());
				if (values.size() < 1000) {
					values.add(value);
				}
			}
		}
		runs.forEach((key, values) -> {
			String unit = key.get(1);
			// Throughput (MB/s) is better high; time, bytes and allocations per op are better low.
			sink.metric(key.get(0), median(values), unit, !unit.endsWith("/s"));
		});
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

}
