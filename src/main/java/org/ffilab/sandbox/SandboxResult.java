package org.ffilab.sandbox;

import java.time.Duration;

/**
 * How a sandbox run ended.
 *
 * @param exitCode the container's exit code (128 + signal when a signal ended it)
 * @param timedOut the wall-time deadline killed it
 * @param oomKilled the memory limit killed it
 * @param outputTruncated output past the limit was dropped
 * @param elapsed time from start to end
 */
public record SandboxResult(int exitCode, boolean timedOut, boolean oomKilled, boolean outputTruncated,
		Duration elapsed) {

}
