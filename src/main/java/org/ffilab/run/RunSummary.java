package org.ffilab.run;

import java.time.Instant;

/**
 * One attempt as a student's history lists it: what the list shows, without the files, the output or the full
 * verdict (GET /api/runs/{id} has those).
 *
 * @param outcome the verdict's status (pass, fail or error) once the run ended; null while it waits or runs
 * @param headline the verdict's message, or why the lab could not carry the run out; null when there is neither
 * @param tests how many named checks the verdict has
 * @param passedTests how many of them passed
 * @param findings how many memory and thread errors the tools found
 */
public record RunSummary(String id, String task, String track, RunStatus status, String outcome, String headline,
		int tests, int passedTests, int findings, Instant createdAt, Instant finishedAt) {

}
