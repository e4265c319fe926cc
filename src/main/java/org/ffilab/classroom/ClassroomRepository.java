package org.ffilab.classroom;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Classes, their teachers and their students. */
@Repository
class ClassroomRepository {

	private final JdbcClient jdbc;

	ClassroomRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insert(String name, String joinCode, Instant createdAt) {
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO classroom (name, join_code, created_at) VALUES (:name, :code, :created)")
			.param("name", name)
			.param("code", joinCode)
			.param("created", createdAt.atOffset(ZoneOffset.UTC))
			.update(key, "id");
		return key.getKeyAs(Number.class).longValue();
	}

	void addTeacher(long classId, long userId) {
		this.jdbc.sql("INSERT INTO class_teacher (class_id, user_id) VALUES (:class, :user)")
			.param("class", classId)
			.param("user", userId)
			.update();
	}

	/** Adds the student unless they are in the class already; true if they were added. */
	boolean addStudent(long classId, long userId, Instant at) {
		if (isStudent(classId, userId)) {
			return false;
		}
		this.jdbc.sql("INSERT INTO class_student (class_id, user_id, joined_at) VALUES (:class, :user, :at)")
			.param("class", classId)
			.param("user", userId)
			.param("at", at.atOffset(ZoneOffset.UTC))
			.update();
		return true;
	}

	Optional<Classroom> find(long id) {
		return this.jdbc.sql("SELECT * FROM classroom WHERE id = :id").param("id", id).query(ClassroomRepository::map)
			.optional();
	}

	Optional<Classroom> findByJoinCode(String code) {
		return this.jdbc.sql("SELECT * FROM classroom WHERE join_code = :code")
			.param("code", code)
			.query(ClassroomRepository::map)
			.optional();
	}

	List<Classroom> findByName(String name) {
		return this.jdbc.sql("SELECT * FROM classroom WHERE LOWER(name) = LOWER(:name) ORDER BY id")
			.param("name", name)
			.query(ClassroomRepository::map)
			.list();
	}

	List<Long> teacherIds(long classId) {
		return this.jdbc.sql("SELECT user_id FROM class_teacher WHERE class_id = :class ORDER BY user_id")
			.param("class", classId)
			.query(Long.class)
			.list();
	}

	List<Classroom> all() {
		return this.jdbc.sql("SELECT * FROM classroom ORDER BY created_at DESC").query(ClassroomRepository::map).list();
	}

	List<Classroom> taughtBy(long teacherId) {
		return this.jdbc.sql("""
				SELECT c.* FROM classroom c JOIN class_teacher t ON t.class_id = c.id
				WHERE t.user_id = :user ORDER BY c.created_at DESC""")
			.param("user", teacherId)
			.query(ClassroomRepository::map)
			.list();
	}

	List<Classroom> attendedBy(long studentId) {
		return this.jdbc.sql("""
				SELECT c.* FROM classroom c JOIN class_student s ON s.class_id = c.id
				WHERE s.user_id = :user ORDER BY s.joined_at""")
			.param("user", studentId)
			.query(ClassroomRepository::map)
			.list();
	}

	List<Long> studentIds(long classId) {
		return this.jdbc.sql("SELECT user_id FROM class_student WHERE class_id = :class ORDER BY user_id")
			.param("class", classId)
			.query(Long.class)
			.list();
	}

	boolean isTeacher(long classId, long userId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM class_teacher WHERE class_id = :class AND user_id = :user")
			.param("class", classId)
			.param("user", userId)
			.query(Long.class)
			.single() > 0;
	}

	boolean isStudent(long classId, long userId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM class_student WHERE class_id = :class AND user_id = :user")
			.param("class", classId)
			.param("user", userId)
			.query(Long.class)
			.single() > 0;
	}

	/** True if the teacher teaches a class the student is in. */
	boolean teachesStudent(long teacherId, long studentId) {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM class_teacher t JOIN class_student s ON s.class_id = t.class_id
				WHERE t.user_id = :teacher AND s.user_id = :student""")
			.param("teacher", teacherId)
			.param("student", studentId)
			.query(Long.class)
			.single() > 0;
	}

	/** The ids of the classes a student is in. */
	List<Long> classIdsOfStudent(long studentId) {
		return this.jdbc.sql("SELECT class_id FROM class_student WHERE user_id = :user")
			.param("user", studentId)
			.query(Long.class)
			.list();
	}

	private static Classroom map(ResultSet rs, int row) throws SQLException {
		return new Classroom(rs.getLong("id"), rs.getString("name"), rs.getString("join_code"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
