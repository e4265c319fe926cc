package org.ffilab.run;

import org.springframework.http.HttpStatus;

/** A request the API refuses, with the status and a message a student can act on. */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	public ApiException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	public HttpStatus status() {
		return this.status;
	}

}
