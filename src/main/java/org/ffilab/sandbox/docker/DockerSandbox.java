package org.ffilab.sandbox.docker;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import org.ffilab.sandbox.EngineLostException;
import org.ffilab.sandbox.EngineLostException.Stage;
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
 *
 * <p>
 * When the engine goes away during a run (stopped, restarted, socket gone, not answering), the run
 * ends with an {@link EngineLostException} within {@link EngineProperties#lostAfter()} plus one
 * call's deadline, and its container is left to {@link StrandedContainers}, which removes it once
 * the engine answers again.
 */
@Component
class DockerSandbox implements Sandbox {

	private static final Logger logger = LoggerFactory.getLogger(DockerSandbox.class);

	private static final long POLL_MILLIS = 50;

	/** While the engine does not answer, it is asked again this often. */
	private static final long RETRY_MILLIS = 250;

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

	private final EngineProperties engine;

	private final SandboxInstance instance;

	private final StrandedContainers stranded;

	private final DockerSandboxMonitor monitor;

	DockerSandbox(DockerClient docker, SandboxProperties properties, EngineProperties engine, SandboxInstance instance,
			StrandedContainers stranded, DockerSandboxMonitor monitor) {
		this.docker = docker;
		this.properties = properties;
		this.engine = engine;
		this.instance = instance;
		this.stranded = stranded;
		this.monitor = monitor;
	}

	@Override
	public SandboxResult run(SandboxRequest request, Consumer<OutputChunk> output) {
		long creating = System.nanoTime();
		String containerId;
		try {
			containerId = create(request);
		}
		catch (EngineLostException ex) {
			// The engine may have created the container before it went away.
			strand(request.runId());
			throw ex;
		}
		boolean engineLost = false;
		try {
			return attachStartAndWait(containerId, request, output, creating);
		}
		catch (EngineLostException ex) {
			engineLost = true;
			throw ex;
		}
		finally {
			if (engineLost) {
				strand(request.runId());
			}
			else {
				remove(containerId, request.runId());
			}
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
			if (EngineErrors.unanswered(ex)) {
				throw new EngineLostException(Stage.STARTING,
						"The container engine did not answer while creating the sandbox: " + EngineErrors.rootMessage(ex),
						ex);
			}
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
			attachAndStart(containerId, request, attached);
			long started = System.nanoTime();
			boolean timedOut = !awaitExit(containerId, request.limits().wallTime().plus(DEADLINE_GRACE), capped,
					attached);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			if (timedOut || capped.overflowed()) {
				kill(containerId);
			}
			awaitEnd(attached);
			if (attached.failure() != null) {
				// Output (and with it the harness's result) may be missing: the run cannot be judged.
				throw new EngineLostException(Stage.RUNNING,
						"The sandbox's output stream broke: " + EngineErrors.rootMessage(attached.failure()),
						attached.failure());
			}
			var state = inspectState(containerId);
			if (!timedOut && !capped.overflowed() && !state.oomKilled() && stoppedFromOutside(state.exitCode())) {
				throw new EngineLostException(Stage.RUNNING,
						"The sandbox was stopped from outside (exit code " + state.exitCode() + ")", null);
			}
			return new SandboxResult(state.exitCode(), timedOut, state.oomKilled() && !timedOut,
					capped.overflowed(), elapsed, Duration.ofNanos(started - creating));
		}
		finally {
			attached.closeQuietly();
		}
	}

	private void attachAndStart(String containerId, SandboxRequest request, OutputCallback attached) {
		try {
			this.docker.attachContainerCmd(containerId)
				.withStdIn(new ByteArrayInputStream(request.stdin()))
				.withStdOut(true)
				.withStdErr(true)
				.withFollowStream(true)
				.exec(attached);
			// Opening the stream is bounded by the command deadline; it then reports either way.
			if (!attached.awaitOpened(this.engine.commandTimeout().plusSeconds(2))) {
				throw new EngineLostException(Stage.STARTING,
						"The container engine did not open the sandbox's output stream", null);
			}
			if (attached.failure() != null) {
				throw startFailed(attached.failure());
			}
			this.docker.startContainerCmd(containerId).exec();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SandboxException("Interrupted while starting the sandbox", ex);
		}
		catch (EngineLostException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw startFailed(ex);
		}
	}

	private static SandboxException startFailed(Throwable ex) {
		if (ex instanceof RuntimeException runtime && !EngineErrors.unanswered(runtime)) {
			return new SandboxException("The container engine could not start the sandbox: " + ex.getMessage(), ex);
		}
		return new EngineLostException(Stage.STARTING,
				"The container engine did not answer while starting the sandbox: " + EngineErrors.rootMessage(ex), ex);
	}

	/**
	 * The harness is the container's PID 1: the kernel drops the signals the student's processes
	 * send it, and it exits by itself with a small code. Ended by SIGTERM or SIGKILL that the lab did
	 * not send (no deadline, no overflow, no memory kill), it was stopped by the engine (stopping or
	 * restarting: it stops every container, on connections the client still holds while new ones
	 * already fail) or by someone on the host. Its exit says nothing about the student's code.
	 */
	private static boolean stoppedFromOutside(int exitCode) {
		return exitCode == 128 + 9 || exitCode == 128 + 15;
	}

	/**
	 * The harness caps the student's output itself; this outer cap only guards against a broken
	 * harness. Collected files come on top, base64-encoded (4/3) in frames of their own.
	 */
	static long outputAllowance(SandboxRequest request) {
		long collected = (request.collectBytes() > 0) ? request.collectBytes() / 3 * 4 + 1024 * 1024 : 0;
		return request.limits().outputBytes() * 4 + 1024 * 1024 + collected;
	}

	/**
	 * Polls the container's state until it stops, the deadline passes or the output overflows. The
	 * engine's wait call proved unreliable over a hijacked attach connection; an inspect costs a few ms.
	 * An engine that does not answer is asked again until {@link EngineProperties#lostAfter()} has
	 * passed; a container that stopped meanwhile was most likely stopped by the engine (a restart),
	 * so its exit says nothing about the student's code.
	 */
	private boolean awaitExit(String containerId, Duration deadline, CappedOutput capped, OutputCallback attached) {
		long end = System.nanoTime() + deadline.toNanos();
		long unreachableSince = 0;
		boolean unreachable = false;
		while (System.nanoTime() < end) {
			if (capped.overflowed()) {
				return true;
			}
			if (attached.failure() != null) {
				throw new EngineLostException(Stage.RUNNING,
						"The sandbox's output stream broke: " + EngineErrors.rootMessage(attached.failure()),
						attached.failure());
			}
			long asked = System.nanoTime();
			InspectContainerResponse inspected;
			try {
				inspected = this.docker.inspectContainerCmd(containerId).exec();
			}
			catch (NotFoundException ex) {
				throw new EngineLostException(Stage.RUNNING, "The sandbox's container disappeared from the engine",
						ex);
			}
			catch (RuntimeException ex) {
				if (!unreachable) {
					unreachable = true;
					unreachableSince = asked;
					logger.warn("The container engine does not answer during a run ({}); asking again for up to {} s",
							EngineErrors.rootMessage(ex), this.engine.lostAfter().toSeconds());
				}
				if (System.nanoTime() - unreachableSince >= this.engine.lostAfter().toNanos()) {
					throw new EngineLostException(Stage.RUNNING, "The container engine did not answer for "
							+ this.engine.lostAfter().toSeconds() + " s: " + EngineErrors.rootMessage(ex), ex);
				}
				sleep(RETRY_MILLIS);
				continue;
			}
			boolean running = Boolean.TRUE.equals(inspected.getState().getRunning());
			if (!running && unreachable) {
				throw new EngineLostException(Stage.RUNNING,
						"The sandbox stopped while the container engine was not answering", null);
			}
			if (!running) {
				return true;
			}
			if (attached.endedFor() > this.engine.lostAfter().toNanos()) {
				// The stream ends when the container's output closes, which is when it exits: a
				// stream that ended under a running container was cut (an engine restart that kept
				// its containers, a dropped connection), and its output is gone.
				throw new EngineLostException(Stage.RUNNING,
						"The sandbox's output stream ended while the sandbox was still running", null);
			}
			if (unreachable) {
				logger.info("The container engine answers again; the run goes on");
				unreachable = false;
			}
			sleep(POLL_MILLIS);
		}
		if (unreachable) {
			throw new EngineLostException(Stage.RUNNING,
					"The container engine was not answering when the run's deadline passed", null);
		}
		return false;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SandboxException("Interrupted while waiting for the sandbox", ex);
		}
	}

	private void kill(String containerId) {
		try {
			this.docker.killContainerCmd(containerId).exec();
		}
		catch (RuntimeException ex) {
			logger.debug("Kill of {} failed (it may have exited already): {}", containerId, ex.getMessage());
		}
	}

	private static void awaitEnd(OutputCallback attached) {
		try {
			attached.awaitCompletion(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** How the container ended; the engine is asked again for up to {@link EngineProperties#lostAfter()}. */
	private ContainerEnd inspectState(String containerId) {
		long since = System.nanoTime();
		while (true) {
			try {
				var state = this.docker.inspectContainerCmd(containerId).exec().getState();
				Long exitCode = state.getExitCodeLong();
				return new ContainerEnd((exitCode != null) ? exitCode.intValue() : -1,
						Boolean.TRUE.equals(state.getOOMKilled()));
			}
			catch (NotFoundException ex) {
				throw new EngineLostException(Stage.FINISHING,
						"The sandbox's container disappeared before its exit could be read", ex);
			}
			catch (RuntimeException ex) {
				if (System.nanoTime() - since >= this.engine.lostAfter().toNanos()) {
					throw new EngineLostException(Stage.FINISHING,
							"The container engine did not answer while reading the sandbox's exit: "
									+ EngineErrors.rootMessage(ex),
							ex);
				}
				sleep(RETRY_MILLIS);
			}
		}
	}

	private void remove(String containerId, String runId) {
		try {
			this.docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
		}
		catch (NotFoundException ex) {
			// Already gone.
		}
		catch (RuntimeException ex) {
			logger.warn("Could not remove sandbox container {} ({}); trying again in the background", containerId,
					ex.getMessage());
			strand(runId);
		}
	}

	/** The engine failed us: its container is removed once it is back, and health asks it afresh. */
	private void strand(String runId) {
		this.stranded.add(runId);
		this.monitor.forget();
	}

	private record ContainerEnd(int exitCode, boolean oomKilled) {
	}

	/**
	 * Relays the container's output. An error on the stream (as opposed to its normal end) is kept:
	 * output may be missing after it.
	 */
	private static final class OutputCallback extends ResultCallback.Adapter<Frame> {

		private final CappedOutput output;

		private final CountDownLatch opened = new CountDownLatch(1);

		private volatile Throwable failure;

		private volatile boolean closing;

		private volatile long endedAt;

		OutputCallback(CappedOutput output) {
			this.output = output;
		}

		@Override
		public void onStart(Closeable stream) {
			super.onStart(stream);
			this.opened.countDown();
		}

		@Override
		public void onNext(Frame frame) {
			var stream = (frame.getStreamType() == StreamType.STDERR) ? OutputChunk.Stream.STDERR
					: OutputChunk.Stream.STDOUT;
			this.output.accept(new OutputChunk(stream, frame.getPayload()));
		}

		@Override
		public void onComplete() {
			this.endedAt = System.nanoTime();
			super.onComplete();
		}

		/** Nanoseconds since the stream ended normally; 0 while it is open. */
		long endedFor() {
			long ended = this.endedAt;
			return (ended != 0) ? System.nanoTime() - ended : 0;
		}

		/** Kept rather than logged: the sandbox decides what a broken stream means. */
		@Override
		public void onError(Throwable throwable) {
			if (!this.closing && this.failure == null) {
				this.failure = throwable;
			}
			this.opened.countDown();
			closeQuietly();
		}

		boolean awaitOpened(Duration timeout) throws InterruptedException {
			return this.opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}

		Throwable failure() {
			return this.failure;
		}

		void closeQuietly() {
			this.closing = true;
			try {
				close();
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Closing the attach stream failed", ex);
			}
		}

	}

}
