package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Metric;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.parse;

class GoBenchParserTests {

	private final GoBenchParser parser = new GoBenchParser();

	@Test
	void medianOfThreeRunsPerBenchmarkAndUnit() {
		List<Metric> metrics = parse(this.parser, "gobench/count-3.txt").metrics();
		assertThat(metrics).containsExactly(new Metric("BenchmarkCgoNoop", 178.1, "ns/op", true),
				new Metric("BenchmarkCgoNoop", 0, "B/op", true), new Metric("BenchmarkCgoNoop", 0, "allocs/op", true),
				new Metric("BenchmarkGoNoop", 4.055, "ns/op", true), new Metric("BenchmarkGoNoop", 0, "B/op", true),
				new Metric("BenchmarkGoNoop", 0, "allocs/op", true), new Metric("BenchmarkSum", 354.2, "ns/op", true),
				new Metric("BenchmarkSum", 45.17, "MB/s", false), new Metric("BenchmarkSum", 0, "B/op", true),
				new Metric("BenchmarkSum", 0, "allocs/op", true));
	}

	@Test
	void aRunCutShortByAPanicKeepsTheBenchmarksThatFinished() {
		List<Metric> metrics = parse(this.parser, "gobench/cut-short-by-a-panic.txt").metrics();
		assertThat(metrics).filteredOn((metric) -> metric.unit().equals("ns/op"))
			.containsExactly(new Metric("BenchmarkCgoNoop", 149.4, "ns/op", true),
					new Metric("BenchmarkGoNoop", 4.377, "ns/op", true));
	}

	@Test
	void medians() {
		assertThat(GoBenchParser.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
		assertThat(GoBenchParser.median(List.of(4.0, 1.0))).isEqualTo(2.5);
	}

}
