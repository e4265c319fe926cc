package org.ffilab.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.ffilab.grading.Verdict;

import tools.jackson.databind.JsonNode;

/**
 * A run as GET /api/runs/{id} shows it: the output so far, even while it is running, and the
 * reference solution's metrics when the verdict has metrics. For a run that ended in ERROR,
 * {@code errorKind} says why and {@code retryable} whether POST /api/runs/{id}/retry may run its
 * files again; {@code retryOf} names the run this one retried.
 *
 * @param userId who submitted it (empty for runs from before accounts existed)
 */
public record RunView(String id, String task, String track, RunStatus status, Map<String, String> files,
		String output, JsonNode verdict, List<Verdict.Metric> reference, String error, RunErrorKind errorKind,
		boolean retryable, Instant createdAt, Instant startedAt, Instant firstOutputAt, Instant finishedAt,
		String retryOf, Long userId) {

}
