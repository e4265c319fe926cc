package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Metric;

/**
 * What the tool reports of one run said, gathered as the report frames arrive (made by
 * {@link ReportParsers#forRun}) and merged into the verdict by the {@link VerdictAssembler}.
 */
public final class ToolReports {

	/** Over all of a run's reports, like the harness result's own lists. */
	static final int MAX_FINDINGS = ResultReader.MAX_ITEMS;

	static final int MAX_METRICS = ResultReader.MAX_ITEMS;

	private final ReportParsers parsers;

	private final StudentFiles files;

	private final List<Finding> findings = new ArrayList<>();

	private final List<Metric> metrics = new ArrayList<>();

	ToolReports(ReportParsers parsers, StudentFiles files) {
		this.parsers = parsers;
		this.files = files;
	}

	/** No reports, and no knowledge of the student's files. */
	public static ToolReports none() {
		return new ToolReports(null, StudentFiles.none());
	}

	/**
	 * @param tool the report frame's tool ("asan", "valgrind", ..., or "auto")
	 * @param text the raw report
	 */
	public synchronized void add(String tool, String text) {
		if (this.parsers == null) {
			return;
		}
		FindingSink sink = new FindingSink(this.files);
		this.parsers.parse(tool, text, sink);
		for (Finding finding : sink.findings()) {
			if (this.findings.size() < MAX_FINDINGS) {
				this.findings.add(finding);
			}
		}
		for (Metric metric : sink.metrics()) {
			if (this.metrics.size() < MAX_METRICS) {
				this.metrics.add(metric);
			}
		}
	}

	synchronized List<Finding> findings() {
		return List.copyOf(this.findings);
	}

	synchronized List<Metric> metrics() {
		return List.copyOf(this.metrics);
	}

	StudentFiles files() {
		return this.files;
	}

}
