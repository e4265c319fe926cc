package org.ffilab.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.ffilab.grading.Verdict.Metric;

/**
 * Where parsers put what they found in one report. Resolves frames to the student's paths, caps
 * everything, folds repeats (-Xcheck:jni warns once per call: thousands of identical warnings) into
 * one finding with a count, and drops findings that are about the runtime rather than the student.
 */
final class FindingSink {

	static final int MAX_FINDINGS = 50;

	static final int MAX_FRAMES = 30;

	static final int MAX_METRICS = 50;

	static final int MAX_MESSAGE = 2000;

	private final StudentFiles files;

	private final Map<Finding, int[]> findings = new LinkedHashMap<>();

	private final Map<String, Metric> metrics = new LinkedHashMap<>();

	private int dropped;

	FindingSink(StudentFiles files) {
		this.files = files;
	}

	/** An error the tool stopped or warned for: always kept. */
	void add(String tool, String kind, String message, List<Frame> rawFrames, Long bytes) {
		put(tool, kind, message, rawFrames, bytes);
	}

	/**
	 * A finding that tools also report for the interpreter or the JVM themselves (leaks, Valgrind's
	 * errors under Python: hundreds of them): kept only when a frame is in the work dir. One without
	 * frames is kept, since nothing says it is not the student's.
	 */
	void addLocal(String tool, String kind, String message, List<Frame> rawFrames, Long bytes) {
		if (!rawFrames.isEmpty() && rawFrames.stream().noneMatch((frame) -> this.files.isLocal(frame.file()))) {
			this.dropped++;
			return;
		}
		put(tool, kind, message, rawFrames, bytes);
	}

	void metric(String name, double value, String unit, boolean lowerIsBetter) {
		String cleanName = StudentFiles.clip(StudentFiles.blankToNull(name), 200);
		if (cleanName == null || !Double.isFinite(value)) {
			return;
		}
		String cleanUnit = StudentFiles.clip((unit != null) ? unit.strip() : "", 40);
		String key = cleanName + "\u0000" + cleanUnit;
		if (this.metrics.size() < MAX_METRICS || this.metrics.containsKey(key)) {
			this.metrics.put(key, new Metric(cleanName, value, cleanUnit, lowerIsBetter));
		}
	}

	/** True when no more findings fit: a parser may stop reading. */
	boolean full() {
		return this.findings.size() >= MAX_FINDINGS;
	}

	/** How many findings were dropped as the runtime's own. */
	int dropped() {
		return this.dropped;
	}

	StudentFiles files() {
		return this.files;
	}

	List<Finding> findings() {
		List<Finding> list = new ArrayList<>();
		this.findings.forEach((finding, count) -> list.add((count[0] == 1) ? finding
				: new Finding(finding.tool(), finding.kind(),
						finding.message() + " (reported " + count[0] + " times)", finding.frames(), finding.bytes())));
		return list;
	}

	List<Metric> metrics() {
		return List.copyOf(this.metrics.values());
	}

	private void put(String tool, String kind, String message, List<Frame> rawFrames, Long bytes) {
		List<Frame> frames = new ArrayList<>();
		for (Frame raw : rawFrames) {
			if (frames.size() == MAX_FRAMES) {
				break;
			}
			frames.add(this.files.resolve(raw));
		}
		String text = StudentFiles.blankToNull(message);
		if (text != null) {
			// Student-facing text names files as the student sees them.
			text = StudentFiles.clip(text.replace(StudentFiles.WORKDIR, ""), MAX_MESSAGE);
		}
		Finding finding = new Finding(tool, kind, text, List.copyOf(frames), bytes);
		int[] count = this.findings.get(finding);
		if (count != null) {
			count[0]++;
		}
		else if (!full()) {
			this.findings.put(finding, new int[] { 1 });
		}
	}

}
