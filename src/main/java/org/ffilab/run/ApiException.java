package org.ffilab.run;

import java.time.Duration;
import java.util.Optional;

import org.springframework.http.HttpStatus;

/** A request the API refuses, with the status and a message a student can act on. */
public class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final Duration retryAfter;

	public ApiException(HttpStatus status, String message) {
		this(status, message, null);
	}

	/** A refusal that says when to try again (the Retry-After header). */
	public ApiException(HttpStatus status, String message, Duration retryAfter) {
		super(message);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	public HttpStatus status() {
		return this.status;
	}

	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
