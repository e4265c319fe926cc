package org.ffilab.run;

import java.time.Instant;

/**
 * Published when a submission is stored and queued, before any worker can pick it up, so a listener sees it before
 * its {@link RunEnded}. The teacher's live feed shows the run from this moment on.
 */
public record RunAccepted(String runId, Long userId, String taskId, String trackId, Instant acceptedAt) {

}
