package org.ffilab.task;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One task of the course.
 *
 * @param id the folder name, e.g. {@code 01-ctypes-cos}
 * @param number its place in the course
 * @param title the heading
 * @param level Warm-Up, Core, Advanced or Capstone
 * @param statementHtml the statement, rendered and sanitized
 * @param hintsHtml the hints, each rendered, shown one at a time
 * @param selfCheck the self-check items (plain text)
 * @param tracks the runtimes it can be done in, in display order
 */
public record Task(String id, int number, String title, TaskLevel level, String statementHtml,
		List<String> hintsHtml, List<String> selfCheck, Map<String, Track> tracks) {

	public Optional<Track> track(String trackId) {
		return Optional.ofNullable(this.tracks.get(trackId));
	}

	public Track defaultTrack() {
		return this.tracks.values().iterator().next();
	}

}
