package org.ffilab.classroom;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ffilab.account.AccountException;
import org.ffilab.account.LabUser;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating classes, joining them, and who teaches whom. */
@Service
public class Classrooms {

	private final ClassroomRepository classes;

	private final ApplicationEventPublisher events;

	Classrooms(ClassroomRepository classes, ApplicationEventPublisher events) {
		this.classes = classes;
		this.events = events;
	}

	/** A new class taught by the teacher who creates it. */
	@Transactional
	public Classroom create(LabUser teacher, String name) {
		if (!teacher.isTeacher()) {
			throw new AccountException("Only teachers create classes.");
		}
		String title = (name != null) ? name.strip() : "";
		if (title.isEmpty() || title.length() > 200 || title.chars().anyMatch(Character::isISOControl)) {
			throw new AccountException("A class needs a name of 1 to 200 characters.");
		}
		for (int attempt = 0;; attempt++) {
			String code = JoinCodes.next();
			try {
				Instant now = Instant.now();
				long id = this.classes.insert(title, code, now);
				this.classes.addTeacher(id, teacher.id());
				return new Classroom(id, title, code, now);
			}
			catch (DuplicateKeyException ex) {
				// 31^8 codes: a clash is rare, two in a row rarer still.
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	/** The class a typed join code opens, if any. */
	public Optional<Classroom> byJoinCode(String typed) {
		return this.classes.findByJoinCode(JoinCodes.normalize(typed));
	}

	/** Adds a student to the class whose code they typed. */
	public Classroom join(LabUser student, String typedCode) {
		Classroom classroom = byJoinCode(typedCode).orElseThrow(
				() -> new AccountException("No class has the join code " + JoinCodes.normalize(typedCode)
						+ ". Check it with your teacher."));
		addStudent(classroom.id(), student.id());
		return classroom;
	}

	public void addStudent(long classId, long studentId) {
		if (this.classes.addStudent(classId, studentId, Instant.now())) {
			// Heard after the commit: the class's dashboard gets a row for them.
			this.events.publishEvent(new StudentJoined(classId, studentId));
		}
	}

	public void addTeacher(long classId, long teacherId) {
		if (!this.classes.isTeacher(classId, teacherId)) {
			this.classes.addTeacher(classId, teacherId);
		}
	}

	public Optional<Classroom> find(long id) {
		return this.classes.find(id);
	}

	/** The classes with this name, ignoring case (names need not be unique). */
	public List<Classroom> findByName(String name) {
		return this.classes.findByName((name != null) ? name.strip() : "");
	}

	public List<Long> teacherIds(long classId) {
		return this.classes.teacherIds(classId);
	}

	/** The classes a person may open as a teacher: the ones they teach, or all for an admin. */
	public List<Classroom> taughtBy(LabUser user) {
		if (user.isAdmin()) {
			return this.classes.all();
		}
		return user.isTeacher() ? this.classes.taughtBy(user.id()) : List.of();
	}

	public List<Classroom> attendedBy(LabUser student) {
		return this.classes.attendedBy(student.id());
	}

	/** The class, if the user may watch it (one of its teachers, or an admin). */
	public Optional<Classroom> findTaught(long id, LabUser user) {
		return this.classes.find(id).filter((classroom) -> canTeach(user, classroom.id()));
	}

	/** True if the user may watch this class: one of its teachers, or an admin. */
	public boolean canTeach(LabUser user, long classId) {
		return user.isAdmin() || (user.isTeacher() && this.classes.isTeacher(classId, user.id()));
	}

	public List<Long> studentIds(long classId) {
		return this.classes.studentIds(classId);
	}

	public List<Long> classIdsOfStudent(long studentId) {
		return this.classes.classIdsOfStudent(studentId);
	}

	boolean teachesStudent(long teacherId, long studentId) {
		return this.classes.teachesStudent(teacherId, studentId);
	}

}
