package org.ffilab.classroom;

import java.time.Instant;
import java.util.List;

/**
 * A class's dashboard as GET /api/classes/{id}/dashboard shows it, and the pieces the live messages on
 * /topic/classes/{id} carry (the same shapes, so the page applies both the same way).
 */
record DashboardView(long classId, String className, List<TaskColumn> tasks, List<Student> students,
		List<Cell> cells, List<FindingCount> findings, List<MetricValue> metrics, List<FeedEntry> feed) {

	record TaskColumn(String id, int number, String title) {
	}

	record Student(long id, String username, String name) {
	}

	/** One student x task cell; attempts only grows, so the page keeps the cell with the most. */
	record Cell(long student, String task, String best, int attempts, Instant firstPassedAt, String lastRunId,
			String lastOutcome, Instant lastRunAt) {

		static Cell of(TaskProgress progress) {
			return new Cell(progress.studentId(), progress.taskId(), progress.best().label(), progress.attempts(),
					progress.firstPassedAt(), progress.lastRunId(), progress.lastOutcome().label(),
					progress.lastRunAt());
		}

	}

	/** How many of a student's runs of a task had a finding of this kind. */
	record FindingCount(long student, String task, String kind, int runs) {
	}

	/** A benchmark number of a student's latest passing run of a track. */
	record MetricValue(long student, String task, String track, String name, double value, String unit,
			boolean lowerIsBetter) {
	}

	/** A run in the live feed; outcome is null while it is queued or running. */
	record FeedEntry(String run, long student, String task, String track, String outcome, Instant acceptedAt,
			Instant endedAt) {
	}

}
