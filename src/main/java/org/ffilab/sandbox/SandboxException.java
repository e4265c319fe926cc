package org.ffilab.sandbox;

/** The sandbox itself failed (engine unreachable, image missing): never the student's fault. */
public class SandboxException extends RuntimeException {

	public SandboxException(String message, Throwable cause) {
		super(message, cause);
	}

	public SandboxException(String message) {
		super(message);
	}

}
