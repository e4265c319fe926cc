package org.ffilab.run;

import java.time.Instant;

/**
 * Published once a run has ended and its result is stored, for whoever watches the class.
 *
 * @param verdictJson the verdict as stored, or null
 */
public record RunEnded(String runId, Long userId, String taskId, String trackId, RunStatus status,
		String verdictJson, Instant finishedAt) {

}
