package org.ffilab.run;

import java.time.Instant;
import java.util.Map;

/**
 * A stored submission and what became of it.
 *
 * @param verdictJson the verdict as JSON, once there is one
 * @param error why the lab could not carry the run out, for ERROR
 * @param userId who submitted it (empty for runs stored before accounts existed)
 * @param errorKind what kind of failure that was, for ERROR
 * @param retryOf the run (ended in ERROR) whose files this run runs again, if it is a retry
 */
public record Run(String id, String taskId, String trackId, RunStatus status, Map<String, String> files,
		String output, String verdictJson, String error, Instant createdAt, Instant startedAt,
		Instant firstOutputAt, Instant finishedAt, Long userId, RunErrorKind errorKind, String retryOf) {

	/** A submission just accepted. */
	static Run queued(String id, String taskId, String trackId, Map<String, String> files, Instant createdAt,
			Long userId, String retryOf) {
		return new Run(id, taskId, trackId, RunStatus.QUEUED, files, null, null, null, createdAt, null, null, null,
				userId, null, retryOf);
	}

	/** Whether the lab offers to run the same files again: it failed them, not their code. */
	public boolean retryable() {
		return this.status == RunStatus.ERROR && this.errorKind != null && this.errorKind.retryable();
	}

}
