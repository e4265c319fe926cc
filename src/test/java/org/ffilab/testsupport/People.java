package org.ffilab.testsupport;

import java.util.UUID;

import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.classroom.Classroom;
import org.ffilab.classroom.Classrooms;

/**
 * The people an authorization test tries every door with, each signed in: alice is a student in the teacher's
 * class, bob a student in the other teacher's class, and an admin.
 */
public record People(LabSession alice, LabSession bob, LabSession teacher, LabSession otherTeacher,
		LabSession admin, Classroom classroom) {

	public static People signIn(int port, Accounts accounts, Classrooms classrooms) {
		LabSession alice = LabSession.newUser(port, accounts, "alice", Role.STUDENT);
		LabSession bob = LabSession.newUser(port, accounts, "bob", Role.STUDENT);
		LabSession teacher = LabSession.newUser(port, accounts, "teacher", Role.TEACHER);
		LabSession otherTeacher = LabSession.newUser(port, accounts, "other", Role.TEACHER);
		LabSession admin = LabSession.newUser(port, accounts, "admin", Role.ADMIN);
		Classroom classroom = classrooms.create(teacher.user(), "Systems " + UUID.randomUUID());
		classrooms.addStudent(classroom.id(), alice.user().id());
		Classroom other = classrooms.create(otherTeacher.user(), "Other class " + UUID.randomUUID());
		classrooms.addStudent(other.id(), bob.user().id());
		return new People(alice, bob, teacher, otherTeacher, admin, classroom);
	}

}
