package org.ffilab.classroom;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.ffilab.classroom.DashboardView.FeedEntry;
import org.ffilab.classroom.DashboardView.FindingCount;
import org.ffilab.classroom.DashboardView.MetricValue;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The dashboard's read model (V6__class_dashboard.sql): per student, never per class, so a student in two classes
 * shows the same work in both. Written only from the runs' events; the run table stays the run package's.
 */
@Repository
class DashboardRepository {

	private final JdbcClient jdbc;

	DashboardRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	// --- the feed ------------------------------------------------------------------------------

	/** Records an accepted run; false if it is known already. */
	boolean insertRun(String runId, long studentId, String taskId, String trackId, Instant acceptedAt) {
		if (findRun(runId).isPresent()) {
			return false;
		}
		this.jdbc.sql("""
				INSERT INTO progress_run (run_id, user_id, task_id, track_id, accepted_at)
				VALUES (:run, :user, :task, :track, :at)""")
			.param("run", runId)
			.param("user", studentId)
			.param("task", taskId)
			.param("track", trackId)
			.param("at", time(acceptedAt))
			.update();
		return true;
	}

	/** Forgets a run that never ran (it was replaced while it waited). */
	void deleteRun(String runId) {
		this.jdbc.sql("DELETE FROM progress_run WHERE run_id = :run").param("run", runId).update();
	}

	Optional<FeedEntry> findRun(String runId) {
		return this.jdbc.sql("SELECT * FROM progress_run WHERE run_id = :run")
			.param("run", runId)
			.query(DashboardRepository::feedEntry)
			.optional();
	}

	void endRun(String runId, Outcome outcome, Instant endedAt) {
		this.jdbc.sql("UPDATE progress_run SET outcome = :outcome, finished_at = :at WHERE run_id = :run")
			.param("outcome", outcome.label())
			.param("at", time(endedAt))
			.param("run", runId)
			.update();
	}

	/** The class's latest runs, newest first. */
	List<FeedEntry> feed(long classId, int limit) {
		return this.jdbc.sql("""
				SELECT r.* FROM progress_run r JOIN class_student s ON s.user_id = r.user_id
				WHERE s.class_id = :class ORDER BY r.accepted_at DESC, r.run_id FETCH FIRST :limit ROWS ONLY""")
			.param("class", classId)
			.param("limit", limit)
			.query(DashboardRepository::feedEntry)
			.list();
	}

	// --- cells ---------------------------------------------------------------------------------

	Optional<TaskProgress> findProgress(long studentId, String taskId) {
		return this.jdbc.sql("SELECT * FROM task_progress WHERE user_id = :user AND task_id = :task")
			.param("user", studentId)
			.param("task", taskId)
			.query(DashboardRepository::progress)
			.optional();
	}

	void saveProgress(TaskProgress progress, boolean isNew) {
		String sql = isNew ? """
				INSERT INTO task_progress (user_id, task_id, best_outcome, attempts, first_passed_at, last_run_id,
				last_outcome, last_run_at) VALUES (:user, :task, :best, :attempts, :passed, :run, :last, :at)""" : """
				UPDATE task_progress SET best_outcome = :best, attempts = :attempts, first_passed_at = :passed,
				last_run_id = :run, last_outcome = :last, last_run_at = :at WHERE user_id = :user AND task_id = :task""";
		this.jdbc.sql(sql)
			.param("user", progress.studentId())
			.param("task", progress.taskId())
			.param("best", progress.best().label())
			.param("attempts", progress.attempts())
			.param("passed", time(progress.firstPassedAt()))
			.param("run", progress.lastRunId())
			.param("last", progress.lastOutcome().label())
			.param("at", time(progress.lastRunAt()))
			.update();
	}

	List<TaskProgress> progressOfClass(long classId) {
		return this.jdbc.sql("""
				SELECT p.* FROM task_progress p JOIN class_student s ON s.user_id = p.user_id
				WHERE s.class_id = :class""")
			.param("class", classId)
			.query(DashboardRepository::progress)
			.list();
	}

	// --- findings ------------------------------------------------------------------------------

	void countFinding(long studentId, String taskId, String kind, Instant seenAt) {
		int updated = this.jdbc.sql("""
				UPDATE task_finding SET runs = runs + 1, last_seen_at = :at
				WHERE user_id = :user AND task_id = :task AND kind = :kind""")
			.param("at", time(seenAt))
			.param("user", studentId)
			.param("task", taskId)
			.param("kind", kind)
			.update();
		if (updated == 0) {
			this.jdbc.sql("""
					INSERT INTO task_finding (user_id, task_id, kind, runs, last_seen_at)
					VALUES (:user, :task, :kind, 1, :at)""")
				.param("user", studentId)
				.param("task", taskId)
				.param("kind", kind)
				.param("at", time(seenAt))
				.update();
		}
	}

	List<FindingCount> findings(long studentId, String taskId) {
		return this.jdbc.sql("SELECT * FROM task_finding WHERE user_id = :user AND task_id = :task ORDER BY kind")
			.param("user", studentId)
			.param("task", taskId)
			.query(DashboardRepository::findingCount)
			.list();
	}

	List<FindingCount> findingsOfClass(long classId) {
		return this.jdbc.sql("""
				SELECT f.* FROM task_finding f JOIN class_student s ON s.user_id = f.user_id
				WHERE s.class_id = :class ORDER BY f.user_id, f.task_id, f.kind""")
			.param("class", classId)
			.query(DashboardRepository::findingCount)
			.list();
	}

	// --- metrics -------------------------------------------------------------------------------

	/** Replaces the student's numbers for this task and track with those of a newer passing run. */
	void replaceMetrics(long studentId, String taskId, String trackId, String runId,
			List<GradedRun.Metric> metrics) {
		this.jdbc.sql("DELETE FROM task_metric WHERE user_id = :user AND task_id = :task AND track_id = :track")
			.param("user", studentId)
			.param("task", taskId)
			.param("track", trackId)
			.update();
		for (GradedRun.Metric metric : metrics) {
			this.jdbc.sql("""
					INSERT INTO task_metric (user_id, task_id, track_id, name, metric_value, unit, lower_is_better,
					run_id) VALUES (:user, :task, :track, :name, :value, :unit, :lower, :run)""")
				.param("user", studentId)
				.param("task", taskId)
				.param("track", trackId)
				.param("name", metric.name())
				.param("value", metric.value())
				.param("unit", metric.unit())
				.param("lower", metric.lowerIsBetter())
				.param("run", runId)
				.update();
		}
	}

	List<MetricValue> metrics(long studentId, String taskId, String trackId) {
		return this.jdbc.sql("""
				SELECT * FROM task_metric WHERE user_id = :user AND task_id = :task AND track_id = :track
				ORDER BY name""")
			.param("user", studentId)
			.param("task", taskId)
			.param("track", trackId)
			.query(DashboardRepository::metricValue)
			.list();
	}

	List<MetricValue> metricsOfClass(long classId) {
		return this.jdbc.sql("""
				SELECT m.* FROM task_metric m JOIN class_student s ON s.user_id = m.user_id
				WHERE s.class_id = :class ORDER BY m.task_id, m.track_id, m.name, m.user_id""")
			.param("class", classId)
			.query(DashboardRepository::metricValue)
			.list();
	}

	// --- rows ----------------------------------------------------------------------------------

	private static FeedEntry feedEntry(ResultSet rs, int row) throws SQLException {
		return new FeedEntry(rs.getString("run_id"), rs.getLong("user_id"), rs.getString("task_id"),
				rs.getString("track_id"), rs.getString("outcome"), instant(rs, "accepted_at"),
				instant(rs, "finished_at"));
	}

	private static TaskProgress progress(ResultSet rs, int row) throws SQLException {
		return new TaskProgress(rs.getLong("user_id"), rs.getString("task_id"),
				Outcome.fromLabel(rs.getString("best_outcome")), rs.getInt("attempts"), instant(rs, "first_passed_at"),
				rs.getString("last_run_id"), Outcome.fromLabel(rs.getString("last_outcome")),
				instant(rs, "last_run_at"));
	}

	private static FindingCount findingCount(ResultSet rs, int row) throws SQLException {
		return new FindingCount(rs.getLong("user_id"), rs.getString("task_id"), rs.getString("kind"),
				rs.getInt("runs"));
	}

	private static MetricValue metricValue(ResultSet rs, int row) throws SQLException {
		return new MetricValue(rs.getLong("user_id"), rs.getString("task_id"), rs.getString("track_id"),
				rs.getString("name"), rs.getDouble("metric_value"), rs.getString("unit"),
				rs.getBoolean("lower_is_better"));
	}

	private static OffsetDateTime time(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
