package org.ffilab.run;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

/**
 * Bounded concurrency: a fixed number of workers, and a fixed number of places in the queue. A place
 * is reserved before a submission is stored, so a full queue refuses cleanly instead of piling up.
 */
@Component
class RunQueue {

	private final Semaphore places;

	private final ThreadPoolExecutor workers;

	RunQueue(RunProperties properties) {
		int concurrency = properties.effectiveConcurrency();
		this.places = new Semaphore(concurrency + properties.queueCapacity());
		this.workers = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), Thread.ofPlatform().name("run-worker-", 1).factory());
	}

	boolean tryReserve() {
		return this.places.tryAcquire();
	}

	void release() {
		this.places.release();
	}

	/** Runs accepted and waiting for a worker: the queue's depth. */
	int waiting() {
		return this.workers.getQueue().size();
	}

	/** Runs the job on a worker, then frees the place reserved for it. */
	void submitReserved(String runId, Consumer<String> job) {
		this.workers.execute(() -> {
			try {
				job.accept(runId);
			}
			finally {
				this.places.release();
			}
		});
	}

	/** For runs recovered at start-up: they were accepted before, so they always get a place. */
	void submitRecovered(String runId, Consumer<String> job) {
		this.workers.execute(() -> job.accept(runId));
	}

	@PreDestroy
	void shutdown() {
		this.workers.shutdownNow();
	}

}
