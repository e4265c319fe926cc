package org.ffilab.sandbox.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Puts a deadline on every call to the engine. The HTTP client's response timeout is a socket read
 * timeout, and docker-java's unix socket (a blocking SocketChannel) ignores it: a call to an engine
 * that took the connection and then stopped answering (frozen, or half-way through stopping) would
 * block for ever. At the deadline the calling thread is interrupted, which closes the channel it
 * is blocked on (an InterruptibleChannel) and fails the call; the interrupt is cleared again before
 * the call returns, so the thread goes on as after any other failed call.
 *
 * <p>
 * The deadline covers a call up to the response's headers. The bodies after them are small JSON
 * documents, except a run's output stream (attach), which must stay open for the whole run: only
 * its opening is bounded.
 */
final class DeadlineHttpClient implements DockerHttpClient {

	private final DockerHttpClient delegate;

	private final Duration queryTimeout;

	private final Duration commandTimeout;

	private final ScheduledThreadPoolExecutor alarms;

	DeadlineHttpClient(DockerHttpClient delegate, Duration queryTimeout, Duration commandTimeout) {
		this.delegate = delegate;
		this.queryTimeout = queryTimeout;
		this.commandTimeout = commandTimeout;
		this.alarms = new ScheduledThreadPoolExecutor(1,
				Thread.ofPlatform().name("docker-deadlines").daemon(true).factory());
		this.alarms.setRemoveOnCancelPolicy(true);
	}

	@Override
	public Response execute(Request request) {
		Duration timeout = isQuery(request) ? this.queryTimeout : this.commandTimeout;
		var deadline = new Deadline(Thread.currentThread());
		ScheduledFuture<?> alarm = this.alarms.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
		try {
			return this.delegate.execute(request);
		}
		catch (RuntimeException ex) {
			if (deadline.expired()) {
				var timedOut = new SocketTimeoutException("The Docker engine did not answer " + request.method() + " "
						+ request.path() + " within " + timeout.toMillis() + " ms");
				timedOut.addSuppressed(ex);
				throw new UncheckedIOException(timedOut);
			}
			throw ex;
		}
		finally {
			alarm.cancel(false);
			deadline.close();
		}
	}

	/** Reads of the engine's state; everything else changes it (the attach stream is a POST). */
	private static boolean isQuery(Request request) {
		return "GET".equals(request.method()) || "HEAD".equals(request.method());
	}

	@Override
	public void close() throws IOException {
		this.alarms.shutdownNow();
		this.delegate.close();
	}

	/** One call's deadline; expiring and closing exclude each other, so no interrupt outlives its call. */
	private static final class Deadline {

		private final Thread caller;

		private boolean done;

		private boolean expired;

		Deadline(Thread caller) {
			this.caller = caller;
		}

		synchronized void expire() {
			if (!this.done) {
				this.expired = true;
				this.caller.interrupt();
			}
		}

		synchronized boolean expired() {
			return this.expired;
		}

		/** Called by the caller itself: clears the interrupt the deadline sent. */
		synchronized void close() {
			this.done = true;
			if (this.expired) {
				Thread.interrupted();
			}
		}

	}

}
