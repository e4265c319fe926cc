package org.ffilab.run;

import org.ffilab.sandbox.EngineLostException;
import org.ffilab.sandbox.SandboxException;

/**
 * Why the lab could not carry a run out, as the student reads it, with the kind the browser acts on.
 *
 * @param kind whether a retry can help
 * @param message what the student sees as the run's error
 */
record RunFailure(RunErrorKind kind, String message) {

	static final String SAVED_RETRY = " Your code is saved; press Retry.";

	static final RunFailure LAB_RESTARTED = new RunFailure(RunErrorKind.INFRASTRUCTURE,
			"The lab restarted while your run was in its sandbox." + SAVED_RETRY);

	static final RunFailure TASK_GONE = new RunFailure(RunErrorKind.UNAVAILABLE,
			"This task or track is no longer part of the course.");

	/** The sandbox could not carry the run out. */
	static RunFailure of(SandboxException ex) {
		if (ex instanceof EngineLostException lost) {
			return new RunFailure(RunErrorKind.INFRASTRUCTURE, "The lab lost its connection to the sandbox engine while your run was "
					+ switch (lost.stage()) {
						case STARTING -> "starting";
						case RUNNING -> "running";
						case FINISHING -> "finishing";
					} + "." + SAVED_RETRY);
		}
		String why = ex.getMessage().strip();
		return new RunFailure(RunErrorKind.INFRASTRUCTURE, "The lab could not start a sandbox for your run: " + why
				+ (why.endsWith(".") ? "" : ".") + SAVED_RETRY);
	}

	/** A bug in the lab itself. */
	static RunFailure internal() {
		return new RunFailure(RunErrorKind.INTERNAL,
				"The lab failed while running this submission (a fault in the lab, not in your code). "
						+ "Your code is saved; press Run to try again.");
	}

}
