package org.ffilab.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.ffilab.sandbox.EngineLostException;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;

/**
 * A fast stand-in for the web tests: plays harness frames as a real harness would. The real engine
 * path is tested by the Docker integration, golden and browser tests.
 */
public class ScriptedSandbox implements Sandbox {

	public final List<SandboxRequest> requests = new CopyOnWriteArrayList<>();

	public volatile CountDownLatch gate = new CountDownLatch(0);

	public volatile boolean engineDown;

	/** The engine goes away after the first output (and after the gate): the run cannot be judged. */
	volatile boolean engineLostMidRun;

	/** The lab itself fails (a bug), not the engine. */
	volatile boolean labBug;

	@Override
	public SandboxResult run(SandboxRequest request, Consumer<OutputChunk> output) {
		this.requests.add(request);
		if (this.engineDown) {
			throw new SandboxException("The Docker engine is not reachable");
		}
		if (this.labBug) {
			throw new IllegalStateException("a bug in the lab");
		}
		emit(output, "{\"type\":\"output\",\"text\":\"$ python3 main.py\\n\"}\n");
		try {
			this.gate.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.engineLostMidRun) {
			throw new EngineLostException(EngineLostException.Stage.RUNNING, "The container engine did not answer for 5 s",
					null);
		}
		emit(output, "{\"type\":\"output\",\"text\":\"hello from the sandbox\\n\"}\n");
		emit(output, "{\"type\":\"result\",\"result\":{\"version\":3,\"status\":\"pass\",\"tests\":"
				+ "[{\"name\":\"prints hello\",\"status\":\"pass\",\"group\":\"Tests\"}]}}\n");
		return new SandboxResult(0, false, false, false, Duration.ofMillis(5), Duration.ofMillis(3));
	}

	private static void emit(Consumer<OutputChunk> output, String frame) {
		output.accept(new OutputChunk(OutputChunk.Stream.STDOUT, frame.getBytes(StandardCharsets.UTF_8)));
	}

}
