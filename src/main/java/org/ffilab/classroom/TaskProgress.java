package org.ffilab.classroom;

import java.time.Instant;

/**
 * One cell of the dashboard: a student's runs of one task so far.
 *
 * @param best the best outcome of any run (pass over fail over error)
 * @param attempts how many runs ended; it only grows, so it also orders the versions of a cell
 * @param firstPassedAt when the first passing run ended, if one did
 * @param lastRunId the run that ended last, which the cell links to
 */
record TaskProgress(long studentId, String taskId, Outcome best, int attempts, Instant firstPassedAt,
		String lastRunId, Outcome lastOutcome, Instant lastRunAt) {

	static TaskProgress first(long studentId, String taskId, Outcome outcome, String runId, Instant endedAt) {
		return new TaskProgress(studentId, taskId, outcome, 1, (outcome == Outcome.PASS) ? endedAt : null, runId,
				outcome, endedAt);
	}

	/** This cell after one more run ended; runs may end out of order, so "last" goes by the time they ended. */
	TaskProgress after(Outcome outcome, String runId, Instant endedAt) {
		Outcome bestNow = outcome.betterThan(this.best) ? outcome : this.best;
		Instant passedAt = this.firstPassedAt;
		if (outcome == Outcome.PASS && (passedAt == null || endedAt.isBefore(passedAt))) {
			passedAt = endedAt;
		}
		boolean latest = !endedAt.isBefore(this.lastRunAt);
		return new TaskProgress(this.studentId, this.taskId, bestNow, this.attempts + 1, passedAt,
				latest ? runId : this.lastRunId, latest ? outcome : this.lastOutcome,
				latest ? endedAt : this.lastRunAt);
	}

}
