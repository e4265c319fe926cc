package org.ffilab.task;

import java.util.List;
import java.util.Map;

/**
 * One runtime a task can be done in.
 *
 * @param id the folder name, e.g. {@code python} or {@code jni}
 * @param title shown on the tab
 * @param image the sandbox image's short name
 * @param editable the files the student edits, in tab order
 * @param limits this track's own limits (overrides of the server's defaults)
 * @param starter the files a student starts from
 * @param support hidden files copied beside the student's
 * @param check the check the harness runs
 * @param solution the reference solution (never served)
 * @param hazards broken variants with their expected verdicts
 * @param cleanMachine the second stage on a clean machine, or null when the track has none
 */
public record Track(String id, String title, String image, List<String> editable, TrackLimits limits,
		Map<String, String> starter, Map<String, byte[]> support, byte[] check, Map<String, String> solution,
		List<Hazard> hazards, CleanMachine cleanMachine) {

	/** A track with one stage. */
	public Track(String id, String title, String image, List<String> editable, TrackLimits limits,
			Map<String, String> starter, Map<String, byte[]> support, byte[] check, Map<String, String> solution,
			List<Hazard> hazards) {
		this(id, title, image, editable, limits, starter, support, check, solution, hazards, null);
	}

	public boolean isEditable(String fileName) {
		return this.editable.contains(fileName);
	}

}
