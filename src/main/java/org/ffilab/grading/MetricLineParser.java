package org.ffilab.grading;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one metric line format for runtimes without a benchmark tool of their own (docs/writing-a-check.md,
 * "Metrics"): {@code METRIC name=<name> value=<number> unit=<unit> [lower_is_better=true|false]}, a
 * value with spaces in double quotes. Other lines are ignored, so the report may be a whole log.
 */
final class MetricLineParser implements ReportParser {

	private static final Pattern LINE = Pattern.compile("^\\s*METRIC\\s+(.*)$");

	private static final Pattern FIELD = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|(\\S+))");

	@Override
	public String tool() {
		return "metrics";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains("METRIC ");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		for (String line : ReportText.lines(text)) {
			Matcher m = LINE.matcher(line);
			if (!m.matches()) {
				continue;
			}
			Map<String, String> fields = new HashMap<>();
			Matcher field = FIELD.matcher(m.group(1));
			while (field.find()) {
				fields.putIfAbsent(field.group(1).toLowerCase(Locale.ROOT),
						(field.group(2) != null) ? field.group(2) : field.group(3));
			}
			Double value = ReportText.decimal(fields.get("value"));
			if (value == null) {
				continue;
			}
			boolean lowerIsBetter = !"false".equalsIgnoreCase(fields.get("lower_is_better"));
			sink.metric(fields.get("name"), value, fields.getOrDefault("unit", ""), lowerIsBetter);
		}
	}

}
