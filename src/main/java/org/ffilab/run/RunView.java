package org.ffilab.run;

import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/** A run as GET /api/runs/{id} shows it: the output so far, even while it is running. */
public record RunView(String id, String task, String track, RunStatus status, Map<String, String> files,
		String output, JsonNode verdict, String error, Instant createdAt, Instant startedAt, Instant firstOutputAt,
		Instant finishedAt) {

}
