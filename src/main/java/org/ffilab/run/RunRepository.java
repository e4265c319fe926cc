package org.ffilab.run;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ffilab.grading.Verdict;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Runs in the database: a row is written when a submission is accepted and updated as it moves on. */
@Repository
class RunRepository {

	private static final TypeReference<Map<String, String>> FILES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	RunRepository(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	void insert(Run run) {
		this.jdbc.sql("""
				INSERT INTO run (id, task_id, track_id, status, files_json, created_at, user_id, retry_of)
				VALUES (:id, :task, :track, :status, :files, :created, :user, :retryOf)""")
			.param("id", run.id())
			.param("task", run.taskId())
			.param("track", run.trackId())
			.param("status", run.status().name())
			.param("files", this.json.writeValueAsString(run.files()))
			.param("created", time(run.createdAt()))
			.param("user", run.userId())
			.param("retryOf", run.retryOf())
			.update();
	}

	/** The run that retried this one, if there is one. */
	Optional<String> retryIdOf(String id) {
		return this.jdbc.sql("SELECT id FROM run WHERE retry_of = :id").param("id", id).query(String.class).optional();
	}

	Optional<Run> find(String id) {
		return this.jdbc.sql("SELECT * FROM run WHERE id = :id").param("id", id).query(this::map).optional();
	}

	List<String> idsWithStatus(RunStatus status) {
		return this.jdbc.sql("SELECT id FROM run WHERE status = :status ORDER BY created_at")
			.param("status", status.name())
			.query(String.class)
			.list();
	}

	/** The runs waiting for a sandbox, oldest first. */
	List<Run> queued() {
		return this.jdbc.sql("SELECT * FROM run WHERE status = 'QUEUED' ORDER BY created_at").query(this::map).list();
	}

	/** Ends a run that is still waiting without running it; false if it was not waiting any more. */
	boolean supersede(String id, String message, Instant at) {
		return this.jdbc.sql("""
				UPDATE run SET status = 'SUPERSEDED', error = :error, finished_at = :at
				WHERE id = :id AND status = 'QUEUED'""")
			.param("error", message)
			.param("at", time(at))
			.param("id", id)
			.update() == 1;
	}

	/** Moves a queued run to RUNNING; false if it was not queued any more (a second worker lost the race). */
	boolean markRunning(String id, Instant at) {
		return this.jdbc.sql("UPDATE run SET status = 'RUNNING', started_at = :at WHERE id = :id AND status = 'QUEUED'")
			.param("at", time(at))
			.param("id", id)
			.update() == 1;
	}

	void markFirstOutput(String id, Instant at) {
		this.jdbc.sql("UPDATE run SET first_output_at = :at WHERE id = :id AND first_output_at IS NULL")
			.param("at", time(at))
			.param("id", id)
			.update();
	}

	/** The run ended with a verdict. */
	void finish(String id, String output, String verdictJson, Instant at) {
		end(id, RunStatus.FINISHED, output, verdictJson, null, at);
	}

	/** The lab could not carry the run out; the output so far and the files are kept. */
	void fail(String id, String output, String verdictJson, RunFailure failure, Instant at) {
		end(id, RunStatus.ERROR, output, verdictJson, failure, at);
	}

	private void end(String id, RunStatus status, String output, String verdictJson, RunFailure failure, Instant at) {
		this.jdbc.sql("""
				UPDATE run SET status = :status, output = :output, verdict_json = :verdict, error = :error,
				error_kind = :kind, outcome = :outcome, finished_at = :at WHERE id = :id""")
			.param("status", status.name())
			.param("output", output)
			.param("verdict", verdictJson)
			.param("outcome", outcome(verdictJson))
			.param("error", (failure != null) ? failure.message() : null)
			.param("kind", (failure != null) ? failure.kind().name() : null)
			.param("at", time(at))
			.param("id", id)
			.update();
	}

	/** A student's runs of a task (of one track, when given), newest first, without their files or output. */
	List<RunSummaryRow> history(long userId, String taskId, String trackId, int limit) {
		String track = (trackId != null) ? " AND track_id = :track" : "";
		var query = this.jdbc.sql("""
				SELECT id, task_id, track_id, status, outcome, verdict_json, error, created_at, finished_at FROM run
				WHERE user_id = :user AND task_id = :task""" + track + " ORDER BY created_at DESC, id LIMIT :limit")
			.param("user", userId)
			.param("task", taskId)
			.param("limit", limit);
		if (trackId != null) {
			query = query.param("track", trackId);
		}
		return query.query((rs, row) -> new RunSummaryRow(rs.getString("id"), rs.getString("task_id"),
				rs.getString("track_id"), RunStatus.valueOf(rs.getString("status")), rs.getString("outcome"),
				rs.getString("verdict_json"), rs.getString("error"), instant(rs, "created_at"),
				instant(rs, "finished_at")))
			.list();
	}

	/** Each task a student has runs of that ended, with the outcomes those runs had (pass, fail, error). */
	Map<String, Set<String>> outcomesByTask(long userId) {
		List<Map.Entry<String, String>> rows = this.jdbc.sql("""
				SELECT task_id, outcome FROM run WHERE user_id = :user AND outcome IS NOT NULL
				GROUP BY task_id, outcome""")
			.param("user", userId)
			.query((rs, row) -> Map.entry(rs.getString("task_id"), rs.getString("outcome")))
			.list();
		Map<String, Set<String>> outcomes = new LinkedHashMap<>();
		for (Map.Entry<String, String> row : rows) {
			outcomes.computeIfAbsent(row.getKey(), (task) -> new HashSet<>()).add(row.getValue());
		}
		return outcomes;
	}

	/** The verdict's status, or error when the run ended without one. */
	private String outcome(String verdictJson) {
		if (verdictJson == null) {
			return Verdict.ERROR;
		}
		String status = this.json.readTree(verdictJson).path("status").asString("");
		return status.equals(Verdict.PASS) || status.equals(Verdict.FAIL) ? status : Verdict.ERROR;
	}

	/** A run as a history lists it. */
	record RunSummaryRow(String id, String taskId, String trackId, RunStatus status, String outcome,
			String verdictJson, String error, Instant createdAt, Instant finishedAt) {
	}

	private Run map(ResultSet rs, int row) throws SQLException {
		return new Run(rs.getString("id"), rs.getString("task_id"), rs.getString("track_id"),
				RunStatus.valueOf(rs.getString("status")), this.json.readValue(rs.getString("files_json"), FILES),
				rs.getString("output"), rs.getString("verdict_json"), rs.getString("error"), instant(rs, "created_at"),
				instant(rs, "started_at"), instant(rs, "first_output_at"), instant(rs, "finished_at"),
				rs.getObject("user_id", Long.class), errorKind(rs.getString("error_kind")), rs.getString("retry_of"));
	}

	private static RunErrorKind errorKind(String name) {
		return (name != null) ? RunErrorKind.valueOf(name) : null;
	}

	private static OffsetDateTime time(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
