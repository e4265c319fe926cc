package org.ffilab.sandbox;

import java.time.Duration;

/**
 * How a sandbox run ended.
 *
 * @param exitCode the container's exit code (128 + signal when a signal ended it)
 * @param timedOut the wall-time deadline killed it
 * @param oomKilled the memory limit killed it
 * @param outputTruncated output past the limit was dropped
 * @param elapsed time from the container's start to its exit (or its kill)
 * @param startup time to get the container running: create, attach and start
 */
public record SandboxResult(int exitCode, boolean timedOut, boolean oomKilled, boolean outputTruncated,
		Duration elapsed, Duration startup) {

	/** A result whose start-up took no measurable time (fakes and tests). */
	public SandboxResult(int exitCode, boolean timedOut, boolean oomKilled, boolean outputTruncated,
			Duration elapsed) {
		this(exitCode, timedOut, oomKilled, outputTruncated, elapsed, Duration.ZERO);
	}

}
