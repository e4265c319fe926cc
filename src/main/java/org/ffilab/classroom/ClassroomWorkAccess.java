package org.ffilab.classroom;

import org.ffilab.account.LabUser;
import org.ffilab.account.WorkAccess;

import org.springframework.stereotype.Component;

/** A student sees their own work; a teacher their students' (in classes they teach); an admin everyone's. */
@Component
class ClassroomWorkAccess implements WorkAccess {

	private final Classrooms classrooms;

	ClassroomWorkAccess(Classrooms classrooms) {
		this.classrooms = classrooms;
	}

	@Override
	public boolean canSeeWorkOf(LabUser viewer, long ownerId) {
		if (viewer.id() == ownerId || viewer.isAdmin()) {
			return true;
		}
		return viewer.isTeacher() && this.classrooms.teachesStudent(viewer.id(), ownerId);
	}

}
