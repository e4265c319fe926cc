package org.ffilab.sandbox.docker;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Runs a job in a fresh hardened container: create, attach (the job's tar goes in on stdin), start,
 * wait with a deadline, inspect, and always remove. The result says how long the start-up (create,
 * attach, start) and the run itself took, for the run metrics.
 */
@Component
class DockerSandbox implements Sandbox {

	private static final Logger logger = LoggerFactory.getLogger(DockerSandbox.class);

	private static final long POLL_MILLIS = 50;

	/**
	 * The outer deadline comes this long after the run's wall time. The harness keeps its steps
	 * inside the wall time, counted from its own start, and then reports how they ended; the
	 * container's start-up and that report happen on top. Killing at the wall time itself would
	 * race the harness (a fork bomb's last step, a loaded machine) and throw away the result that
	 * says which limit was hit. The deadline still catches a harness that hangs.
	 */
	static final Duration DEADLINE_GRACE = Duration.ofSeconds(3);

	private final DockerClient docker;

	private final SandboxProperties properties;

	private final SandboxInstance instance;

	DockerSandbox(DockerClient docker, SandboxProperties properties, SandboxInstance instance) {
		this.docker = docker;
		this.properties = properties;
		this.instance = instance;
	}

	@Override
	public SandboxResult run(SandboxRequest request, Consumer<OutputChunk> output) {
		long creating = System.nanoTime();
		String containerId = create(request);
		try {
			return attachStartAndWait(containerId, request, output, creating);
		}
		finally {
			remove(containerId);
		}
	}

	private String create(SandboxRequest request) {
		String image = this.properties.imageName(request.image());
		try {
			return this.docker.createContainerCmd(image)
				.withCmd(request.command())
				.withUser(this.properties.user())
				.withWorkingDir(ContainerSpec.WORK_DIR)
				.withLabels(Map.of(ContainerSpec.RUN_LABEL, request.runId(), ContainerSpec.INSTANCE_LABEL,
						this.instance.name()))
				.withHostConfig(ContainerSpec.hostConfig(request.limits(), this.properties.user()))
				.withNetworkDisabled(true)
				.withTty(false)
				.withAttachStdin(true)
				.withAttachStdout(true)
				.withAttachStderr(true)
				.withStdinOpen(true)
				.withStdInOnce(true)
				.exec()
				.getId();
		}
		catch (NotFoundException ex) {
			throw new SandboxException("The sandbox image " + image + " is missing: build it with scripts/lab images",
					ex);
		}
		catch (RuntimeException ex) {
			throw new SandboxException("The container engine could not create a sandbox: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param creating when the container's creation began: the start-up is measured from there to
	 * the started container, the run itself from the start to its exit
	 */
	private SandboxResult attachStartAndWait(String containerId, SandboxRequest request,
			Consumer<OutputChunk> output, long creating) {
		var capped = new CappedOutput(output, outputAllowance(request));
		var attached = new OutputCallback(capped);
		try {
			this.docker.attachContainerCmd(containerId)
				.withStdIn(new ByteArrayInputStream(request.stdin()))
				.withStdOut(true)
				.withStdErr(true)
				.withFollowStream(true)
				.exec(attached);
			attached.awaitStarted(10, TimeUnit.SECONDS);
			this.docker.startContainerCmd(containerId).exec();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SandboxException("Interrupted while starting the sandbox", ex);
		}
		catch (RuntimeException ex) {
			throw new SandboxException("The container engine could not start the sandbox: " + ex.getMessage(), ex);
		}
		long started = System.nanoTime();
		boolean timedOut = !awaitExit(containerId, request.limits().wallTime().plus(DEADLINE_GRACE), capped);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		if (timedOut || capped.overflowed()) {
			kill(containerId);
		}
		awaitQuietly(attached);
		var state = inspectState(containerId);
		return new SandboxResult(state.exitCode(), timedOut, state.oomKilled() && !timedOut, capped.overflowed(),
				elapsed, Duration.ofNanos(started - creating));
	}

	/** The harness caps the student's output itself; this outer cap only guards against a broken harness. */
	private static long outputAllowance(SandboxRequest request) {
		return request.limits().outputBytes() * 4 + 1024 * 1024;
	}

	/**
	 * Polls the container's state until it stops, the deadline passes or the output overflows. The
	 * engine's wait call proved unreliable over a hijacked attach connection; an inspect costs a few ms.
	 */
	private boolean awaitExit(String containerId, Duration deadline, CappedOutput capped) {
		long end = System.nanoTime() + deadline.toNanos();
		while (System.nanoTime() < end) {
			if (capped.overflowed()) {
				return true;
			}
			try {
				Boolean running = this.docker.inspectContainerCmd(containerId).exec().getState().getRunning();
				if (!Boolean.TRUE.equals(running)) {
					return true;
				}
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new SandboxException("Interrupted while waiting for the sandbox", ex);
			}
			catch (RuntimeException ex) {
				throw new SandboxException("Lost the container engine while waiting for the sandbox", ex);
			}
		}
		return false;
	}

	private void kill(String containerId) {
		try {
			this.docker.killContainerCmd(containerId).exec();
		}
		catch (RuntimeException ex) {
			logger.debug("Kill of {} failed (it may have exited already): {}", containerId, ex.getMessage());
		}
	}

	private static void awaitQuietly(OutputCallback attached) {
		try {
			attached.awaitCompletion(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				attached.close();
			}
			catch (Exception ex) {
				logger.debug("Closing the attach stream failed", ex);
			}
		}
	}

	private ContainerEnd inspectState(String containerId) {
		try {
			var state = this.docker.inspectContainerCmd(containerId).exec().getState();
			Long exitCode = state.getExitCodeLong();
			return new ContainerEnd((exitCode != null) ? exitCode.intValue() : -1,
					Boolean.TRUE.equals(state.getOOMKilled()));
		}
		catch (RuntimeException ex) {
			throw new SandboxException("Lost the container engine while reading the sandbox's exit", ex);
		}
	}

	private void remove(String containerId) {
		try {
			this.docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
		}
		catch (NotFoundException ex) {
			// Already gone.
		}
		catch (RuntimeException ex) {
			// The reaper removes it by label at the next start-up.
			logger.warn("Could not remove sandbox container {}: {}", containerId, ex.getMessage());
		}
	}

	private record ContainerEnd(int exitCode, boolean oomKilled) {
	}

	private static final class OutputCallback extends ResultCallback.Adapter<Frame> {

		private final CappedOutput output;

		OutputCallback(CappedOutput output) {
			this.output = output;
		}

		@Override
		public void onNext(Frame frame) {
			var stream = (frame.getStreamType() == StreamType.STDERR) ? OutputChunk.Stream.STDERR
					: OutputChunk.Stream.STDOUT;
			this.output.accept(new OutputChunk(stream, frame.getPayload()));
		}

	}

}
