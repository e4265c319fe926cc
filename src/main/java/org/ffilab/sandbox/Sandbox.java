package org.ffilab.sandbox;

import java.util.function.Consumer;

/**
 * Runs one job in an isolated container. A student's failure (crash, timeout, memory) is a normal
 * {@link SandboxResult}; only a broken engine or a missing image throws {@link SandboxException}
 * ({@link EngineLostException} when the engine went away during the run). Every call to the engine
 * is bounded in time: a run never hangs on an engine that stopped answering.
 */
public interface Sandbox {

	SandboxResult run(SandboxRequest request, Consumer<OutputChunk> output);

}
