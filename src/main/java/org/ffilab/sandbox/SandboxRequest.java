package org.ffilab.sandbox;

import java.util.List;
import java.util.Objects;

/**
 * One job for the sandbox.
 *
 * @param runId labels the container so it can be found and reaped
 * @param image short image name, e.g. {@code python}; the sandbox adds its configured prefix
 * @param command the command to start in the container (no shell)
 * @param stdin bytes streamed on the container's stdin (the job's tar archive)
 * @param limits resource limits, already clamped
 * @param collectBytes the most the job may send back on stdout as collected files (encoded as the
 * harness encodes them), on top of its output; 0 when it collects none
 */
public record SandboxRequest(String runId, String image, List<String> command, byte[] stdin, SandboxLimits limits,
		long collectBytes) {

	public SandboxRequest {
		Objects.requireNonNull(runId, "runId");
		Objects.requireNonNull(image, "image");
		command = List.copyOf(command);
		Objects.requireNonNull(stdin, "stdin");
		Objects.requireNonNull(limits, "limits");
		if (collectBytes < 0) {
			throw new IllegalArgumentException("collectBytes must not be negative");
		}
	}

	/** A job that collects no files. */
	public SandboxRequest(String runId, String image, List<String> command, byte[] stdin, SandboxLimits limits) {
		this(runId, image, command, stdin, limits, 0);
	}

}
