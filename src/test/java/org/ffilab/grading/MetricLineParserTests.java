package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Metric;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.parse;

class MetricLineParserTests {

	private final MetricLineParser parser = new MetricLineParser();

	@Test
	void quotedNamesAndHigherIsBetter() {
		assertThat(parse(this.parser, "metrics/gil-timings.txt").metrics()).containsExactly(
				new Metric("GIL released (CDLL)", 0.207, "s", true), new Metric("GIL held (PyDLL)", 0.403, "s", true),
				new Metric("speedup", 1.95, "x", false));
	}

	@Test
	void badLinesAreSkipped() {
		// "-nan" is no number, a line without a name is no metric, and "maybe" is not "false".
		List<Metric> metrics = parse(this.parser, "metrics/c-timings-with-bad-lines.txt").metrics();
		assertThat(metrics).containsExactly(new Metric("copy_sum", 0.000645, "s", true),
				new Metric("throughput", 6498.9, "MB/s", false), new Metric("partial line", 12.5, "ms", true));
	}

	@Test
	void onlyPlainDecimals() {
		assertThat(ReportText.decimal("48.5")).isEqualTo(48.5);
		assertThat(ReportText.decimal("1e-3")).isEqualTo(0.001);
		assertThat(ReportText.decimal("NaN")).isNull();
		assertThat(ReportText.decimal("Infinity")).isNull();
		assertThat(ReportText.decimal("1f")).isNull();
		assertThat(ReportText.decimal("0x1p3")).isNull();
		assertThat(ReportText.decimal("1e999")).isNull();
	}

}
