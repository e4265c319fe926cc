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
 */
public record SandboxRequest(String runId, String image, List<String> command, byte[] stdin, SandboxLimits limits) {

	public SandboxRequest {
		Objects.requireNonNull(runId, "runId");
		Objects.requireNonNull(image, "image");
		command = List.copyOf(command);
		Objects.requireNonNull(stdin, "stdin");
		Objects.requireNonNull(limits, "limits");
	}

}
