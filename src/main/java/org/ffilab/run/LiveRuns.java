package org.ffilab.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.ffilab.grading.Verdict;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The runs in a sandbox right now, with their output so far. Output goes out to subscribers in small
 * batches (every 100 ms) rather than per chunk, and a page that reloads reads the buffer to catch up.
 */
@Component
class LiveRuns {

	/**
	 * The harness counts only what the student's programs print against the run's output limit;
	 * its own lines (commands, how a step ended, the truncation notice, the check's notes) come on
	 * top. This cap only guards against a broken harness, so it leaves room for them: cutting at
	 * the limit itself would hide exactly the lines that say why a run that printed too much ended.
	 */
	static final long HARNESS_LINES_CHARS = 256 * 1024;

	private final Map<String, LiveRun> running = new ConcurrentHashMap<>();

	private final RunEvents events;

	LiveRuns(RunEvents events) {
		this.events = events;
	}

	/** Starts buffering a run's output: its output limit plus room for the harness's own lines. */
	LiveRun start(String runId, long outputLimitChars) {
		var live = new LiveRun(runId, outputLimitChars + HARNESS_LINES_CHARS);
		this.running.put(runId, live);
		this.events.status(runId, RunStatus.RUNNING);
		return live;
	}

	/** How many runs are in a sandbox right now. */
	int count() {
		return this.running.size();
	}

	Optional<LiveRun> find(String runId) {
		return Optional.ofNullable(this.running.get(runId));
	}

	/** Publishes the last output, then the end; the run's row must already hold its final state. */
	void end(LiveRun live, RunStatus status, String verdictJson, RunFailure failure, List<Verdict.Metric> reference) {
		// Under the run's lock: no batch taken by the flusher can be sent after the verdict.
		synchronized (live) {
			flush(live);
			this.running.remove(live.runId());
			this.events.ended(live.runId(), status, verdictJson, failure, reference);
		}
	}

	@Scheduled(fixedDelay = 100)
	void flushAll() {
		this.running.values().forEach(this::flush);
	}

	private void flush(LiveRun live) {
		// Taking a batch and sending it happen under one lock, so batches go out in offset order.
		synchronized (live) {
			live.unpublished().ifPresent((batch) -> this.events.output(live.runId(), batch.offset(), batch.text()));
		}
	}

	/** One run's output buffer; appends come from the sandbox thread, reads from web and flush threads. */
	static final class LiveRun {

		private final String runId;

		private final long limitChars;

		private final StringBuilder output = new StringBuilder();

		private int published;

		private boolean truncated;

		private Instant firstOutputAt;

		LiveRun(String runId, long limitChars) {
			this.runId = runId;
			this.limitChars = limitChars;
		}

		String runId() {
			return this.runId;
		}

		/** Appends output; returns true for the run's first output. */
		synchronized boolean append(String text) {
			boolean first = this.firstOutputAt == null && !text.isEmpty();
			if (first) {
				this.firstOutputAt = Instant.now();
			}
			long room = this.limitChars - this.output.length();
			if (room >= text.length()) {
				this.output.append(text);
			}
			else if (!this.truncated) {
				this.truncated = true;
				this.output.append(text, 0, (int) Math.max(0, room));
				this.output.append("\n[the lab kept the first ").append(this.limitChars).append(" characters of output]\n");
			}
			return first;
		}

		synchronized String output() {
			return this.output.toString();
		}

		synchronized Optional<Batch> unpublished() {
			if (this.published >= this.output.length()) {
				return Optional.empty();
			}
			var batch = new Batch(this.published, this.output.substring(this.published));
			this.published = this.output.length();
			return Optional.of(batch);
		}

		/** The buffer's own cap cut the output (the harness's limit usually cuts it well before). */
		synchronized boolean truncated() {
			return this.truncated;
		}

		synchronized Instant firstOutputAt() {
			return this.firstOutputAt;
		}

		record Batch(int offset, String text) {
		}

	}

}
