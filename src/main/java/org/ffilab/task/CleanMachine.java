package org.ffilab.task;

import java.util.List;

/**
 * A track's second stage: after the check, the files it built are handed to a fresh container of
 * another image (one without a compiler: a user's "clean machine"), where a second, trusted check
 * installs and tries them. Declared in track.yml under {@code cleanMachine}.
 *
 * @param image the short name of the second stage's image, e.g. {@code python-runtime}
 * @param collect paths under the work directory whose regular files the first stage hands over
 * @param check the second stage's check, run by the harness like {@code check.py}
 * @param tests the names of the tests that check records, shown as not run when the second stage
 * cannot start (the build failed, a limit was hit), so the verdict always lists them
 * @param limits the second stage's own limits (overrides of the server's defaults)
 */
public record CleanMachine(String image, List<String> collect, byte[] check, List<String> tests, TrackLimits limits) {

	public CleanMachine {
		collect = List.copyOf(collect);
		tests = List.copyOf(tests);
	}

}
