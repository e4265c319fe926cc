package org.ffilab.grading;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
	 * the reports' findings that are new: not the same error as one of the check's (see
	 * {@link #standsFor}), and not the very same finding as one of another report's. A check's leak
	 * without a size takes the bytes of the reports' leaks it stands for.
	 */
	static List<Finding> findings(List<Finding> fromResult, List<Finding> fromReports, StudentFiles files) {
		List<Finding> merged = new ArrayList<>();
		for (Finding finding : fromResult) {
			List<Frame> frames = new ArrayList<>();
			for (Frame frame : finding.frames()) {
				Frame resolved = files.resolve(frame);
				frames.add(new Frame(resolved.file(), resolved.line(), resolved.function(),
						resolved.student() || frame.student()));
			}
			String message = (finding.message() != null) ? finding.message().replace(StudentFiles.WORKDIR, "") : null;
			merged.add(new Finding(finding.tool(), finding.kind(), message, List.copyOf(frames), finding.bytes()));
		}
		List<Finding> own = List.copyOf(merged);
		Map<Integer, Long> bytes = new HashMap<>();
		Set<Finding> seen = new HashSet<>();
		for (Finding finding : fromReports) {
			if (!seen.add(finding)) {
				continue;
			}
			int mine = standsFor(own, finding, files);
			if (mine < 0) {
				merged.add(finding);
			}
			else if (finding.bytes() != null && own.get(mine).bytes() == null) {
				bytes.merge(mine, finding.bytes(), Long::sum);
			}
		}
		bytes.forEach((index, size) -> {
			Finding finding = merged.get(index);
			merged.set(index, new Finding(finding.tool(), finding.kind(), finding.message(), finding.frames(), size));
		});
		return List.copyOf(merged.subList(0, Math.min(merged.size(), ResultReader.MAX_ITEMS)));
	}

	/**
	 * Which of the check's findings is the same error as a report's finding, or -1. One of the same
	 * tool and kind at the same place (the first student frame, or else the top frame with a line, or
	 * else the same message) is. So is one of the same tool and kind that the check put on a student's
	 * line when the report's finding has no student frame (under an interpreter or a VM the tool's
	 * stack never reaches the student's file, and only the check knows the line): provided the
	 * report's frames with a line in the run's own files (the work dir's, the task's) are none, or
	 * include one of the check's finding's frames. A native error elsewhere in the task's code stays.
	 */
	private static int standsFor(List<Finding> own, Finding finding, StudentFiles files) {
		List<Object> place = place(finding);
		for (int i = 0; i < own.size(); i++) {
			if (place(own.get(i)).equals(place)) {
				return i;
			}
		}
		if (finding.frames().stream().anyMatch(Frame::student)) {
			return -1;
		}
		List<Frame> local = finding.frames()
			.stream()
			.filter((frame) -> frame.line() != null && files.isLocal(frame.file()))
			.toList();
		for (int i = 0; i < own.size(); i++) {
			Finding mine = own.get(i);
			if (Objects.equals(mine.tool(), finding.tool()) && Objects.equals(mine.kind(), finding.kind())
					&& mine.frames().stream().anyMatch(Frame::student)
					&& (local.isEmpty() || local.stream().anyMatch((frame) -> named(mine, frame)))) {
				return i;
			}
		}
		return -1;
	}

	/** True when the finding has a frame at the frame's file and line. */
	private static boolean named(Finding finding, Frame frame) {
		return finding.frames()
			.stream()
			.anyMatch((f) -> Objects.equals(f.file(), frame.file()) && Objects.equals(f.line(), frame.line()));
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
