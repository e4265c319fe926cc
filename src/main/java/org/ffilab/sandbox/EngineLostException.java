package org.ffilab.sandbox;

/**
 * The container engine stopped answering, or lost the run's container, while a run was in its
 * sandbox: the run's outcome is unknown, the student's code was not at fault, and running it again
 * once the engine is back is the remedy.
 */
public class EngineLostException extends SandboxException {

	private final Stage stage;

	public EngineLostException(Stage stage, String message, Throwable cause) {
		super(message, cause);
		this.stage = stage;
	}

	public Stage stage() {
		return this.stage;
	}

	/** How far the run had got when the engine was lost. */
	public enum Stage {

		/** Creating, attaching to or starting the container. */
		STARTING,
		/** The container was running the student's code. */
		RUNNING,
		/** The container had exited; reading how it ended. */
		FINISHING

	}

}
