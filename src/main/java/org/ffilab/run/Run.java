package org.ffilab.run;

import java.time.Instant;
import java.util.Map;

/**
 * A stored submission and what became of it.
 *
 * @param verdictJson the verdict as JSON, once there is one
 * @param error why the lab could not carry the run out, for ERROR
 * @param userId who submitted it (empty for runs stored before accounts existed)
 */
public record Run(String id, String taskId, String trackId, RunStatus status, Map<String, String> files,
		String output, String verdictJson, String error, Instant createdAt, Instant startedAt,
		Instant firstOutputAt, Instant finishedAt, Long userId) {

}
