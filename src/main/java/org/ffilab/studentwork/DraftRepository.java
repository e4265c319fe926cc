package org.ffilab.studentwork;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** One draft per student, task and track; a save replaces the one before. */
@Repository
class DraftRepository {

	private static final TypeReference<Map<String, String>> FILES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	DraftRepository(JdbcClient jdbc, ObjectMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	Optional<Draft> find(long userId, String taskId, String trackId) {
		return this.jdbc.sql("""
				SELECT files_json, saved_at FROM student_draft
				WHERE user_id = :user AND task_id = :task AND track_id = :track""")
			.param("user", userId)
			.param("task", taskId)
			.param("track", trackId)
			.query((rs, row) -> new Draft(taskId, trackId, this.json.readValue(rs.getString("files_json"), FILES),
					rs.getObject("saved_at", OffsetDateTime.class).toInstant()))
			.optional();
	}

	/** Stores the files in place of the draft before; an update, else an insert (the same SQL on H2 and PostgreSQL). */
	void save(long userId, String taskId, String trackId, Map<String, String> files, Instant at) {
		String filesJson = this.json.writeValueAsString(files);
		if (update(userId, taskId, trackId, filesJson, at)) {
			return;
		}
		try {
			this.jdbc.sql("""
					INSERT INTO student_draft (user_id, task_id, track_id, files_json, saved_at)
					VALUES (:user, :task, :track, :files, :at)""")
				.param("user", userId)
				.param("task", taskId)
				.param("track", trackId)
				.param("files", filesJson)
				.param("at", at.atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// A second tab saved the first draft at the same moment: this save comes after it.
			update(userId, taskId, trackId, filesJson, at);
		}
	}

	private boolean update(long userId, String taskId, String trackId, String filesJson, Instant at) {
		return this.jdbc.sql("""
				UPDATE student_draft SET files_json = :files, saved_at = :at
				WHERE user_id = :user AND task_id = :task AND track_id = :track""")
			.param("files", filesJson)
			.param("at", at.atOffset(ZoneOffset.UTC))
			.param("user", userId)
			.param("task", taskId)
			.param("track", trackId)
			.update() == 1;
	}

}
