package org.ffilab.sandbox.docker;

import com.github.dockerjava.api.exception.DockerException;

/** Tells an engine that answered with an error from one that did not answer at all. */
final class EngineErrors {

	private EngineErrors() {
	}

	/**
	 * True when the call never got an answer: connection refused or reset, socket gone, deadline
	 * passed. An HTTP error status (a DockerException) means the engine is there and said no.
	 */
	static boolean unanswered(RuntimeException ex) {
		return !(ex instanceof DockerException);
	}

	/** The innermost cause's message: what the socket or the engine said. */
	static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
	}

}
