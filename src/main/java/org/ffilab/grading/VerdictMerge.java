package org.ffilab.grading;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.ffilab.grading.Verdict.Metric;

/**
 * Joins the check's own findings and metrics with those parsed from its tool reports. A check may
 * both report a log and record what it saw in it; the same error then appears once.
 */
final class VerdictMerge {

	private VerdictMerge() {
	}

	/**
	 * The check's findings (with frames resolved to the student's files, as the parsers do it), then
	 * the reports' findings that are new: not the same tool and kind at the same place (the first
	 * student frame, or else the top frame with a line, or else the same message) as one of the
	 * check's, and not the very same finding as one of another report's.
	 */
	static List<Finding> findings(List<Finding> fromResult, List<Finding> fromReports, StudentFiles files) {
		List<Finding> merged = new ArrayList<>();
		Set<List<Object>> places = new HashSet<>();
		for (Finding finding : fromResult) {
			List<Frame> frames = new ArrayList<>();
			for (Frame frame : finding.frames()) {
				Frame resolved = files.resolve(frame);
				frames.add(new Frame(resolved.file(), resolved.line(), resolved.function(),
						resolved.student() || frame.student()));
			}
			String message = (finding.message() != null) ? finding.message().replace(StudentFiles.WORKDIR, "") : null;
			Finding resolved = new Finding(finding.tool(), finding.kind(), message, List.copyOf(frames),
					finding.bytes());
			merged.add(resolved);
			places.add(place(resolved));
		}
		Set<Finding> seen = new HashSet<>();
		for (Finding finding : fromReports) {
			if (!places.contains(place(finding)) && seen.add(finding)) {
				merged.add(finding);
			}
		}
		return List.copyOf(merged.subList(0, Math.min(merged.size(), ResultReader.MAX_ITEMS)));
	}

	/** The check's metrics, then the reports' that measure something else (by name and unit). */
	static List<Metric> metrics(List<Metric> fromResult, List<Metric> fromReports) {
		Map<List<String>, Metric> merged = new LinkedHashMap<>();
		for (Metric metric : fromResult) {
			merged.putIfAbsent(List.of(metric.name(), metric.unit()), metric);
		}
		for (Metric metric : fromReports) {
			if (merged.size() < ResultReader.MAX_ITEMS) {
				merged.putIfAbsent(List.of(metric.name(), metric.unit()), metric);
			}
		}
		return List.copyOf(merged.values());
	}

	private static List<Object> place(Finding finding) {
		Frame place = finding.frames().stream().filter(Frame::student).findFirst()
			.orElse(finding.frames().stream().filter((f) -> f.line() != null).findFirst().orElse(null));
		Object where = (place != null) ? List.of(String.valueOf(place.file()), place.line())
				: String.valueOf(finding.message());
		return List.of(String.valueOf(finding.tool()), String.valueOf(finding.kind()), where);
	}

}
