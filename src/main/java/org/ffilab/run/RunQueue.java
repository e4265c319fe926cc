package org.ffilab.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;

import org.ffilab.run.FairShare.Waiting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Bounded concurrency: a fixed number of workers, and a fixed number of places in the queue. A place
 * is reserved before a submission is stored, so a full queue refuses cleanly instead of piling up.
 * Which waiting run a free worker takes is {@link FairShare}'s choice: one run per student at a time,
 * the student served least lately first, and a newer run of the same work replacing a waiting one.
 */
@Component
class RunQueue {

	private static final Logger logger = LoggerFactory.getLogger(RunQueue.class);

	private final Semaphore places;

	private final FairShare<Consumer<String>> fair = new FairShare<>();

	private final List<Thread> workers = new ArrayList<>();

	RunQueue(RunProperties properties) {
		int concurrency = properties.effectiveConcurrency();
		this.places = new Semaphore(concurrency + properties.queueCapacity());
		for (int i = 1; i <= concurrency; i++) {
			this.workers.add(Thread.ofPlatform().name("run-worker-" + i).start(this::work));
		}
	}

	boolean tryReserve() {
		return this.places.tryAcquire();
	}

	void release() {
		this.places.release();
	}

	/**
	 * Queues a stored run that holds a reserved place; the place is freed when the run ends. Returns the id of the
	 * waiting run it replaced (same student, task and track), whose place is freed now.
	 */
	Optional<String> submitReserved(Run run, Consumer<String> job) {
		return add(run, true, job);
	}

	/** For runs recovered at start-up: they were accepted before, so they always get a place. */
	Optional<String> submitRecovered(Run run, Consumer<String> job) {
		return add(run, false, job);
	}

	/** Runs accepted and waiting for a worker: the queue's depth. */
	synchronized int waiting() {
		return this.fair.waiting();
	}

	private Optional<String> add(Run run, boolean reserved, Consumer<String> job) {
		Object owner = (run.userId() != null) ? run.userId() : "run:" + run.id();
		Optional<Waiting<Consumer<String>>> replaced;
		synchronized (this) {
			replaced = this.fair.add(new Waiting<>(run.id(), owner, run.taskId(), run.trackId(), reserved, job));
			notifyAll();
		}
		replaced.filter(Waiting::reserved).ifPresent((old) -> this.places.release());
		return replaced.map(Waiting::runId);
	}

	private void work() {
		try {
			while (true) {
				Waiting<Consumer<String>> run = take();
				try {
					run.job().accept(run.runId());
				}
				catch (RuntimeException | Error ex) {
					// The worker itself failed (not the run: RunWorker ends those); keep the thread for the next one.
					logger.error("Run {} could not be carried out", run.runId(), ex);
				}
				finally {
					ended(run);
				}
			}
		}
		catch (InterruptedException ex) {
			// Shutting down.
		}
	}

	private synchronized Waiting<Consumer<String>> take() throws InterruptedException {
		while (true) {
			Optional<Waiting<Consumer<String>>> next = this.fair.next();
			if (next.isPresent()) {
				return next.get();
			}
			wait();
		}
	}

	private void ended(Waiting<Consumer<String>> run) {
		synchronized (this) {
			this.fair.ended(run.owner());
			// The owner's next run may start now, on any worker.
			notifyAll();
		}
		if (run.reserved()) {
			this.places.release();
		}
	}

	@PreDestroy
	void shutdown() {
		this.workers.forEach(Thread::interrupt);
	}

}
