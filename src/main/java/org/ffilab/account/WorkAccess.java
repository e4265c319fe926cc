package org.ffilab.account;

/**
 * Whose work a person may see: their own, a teacher their students', an admin everyone's. Implemented where
 * classes are known; asked by every page, API and topic that shows a student's work.
 */
public interface WorkAccess {

	boolean canSeeWorkOf(LabUser viewer, long ownerId);

}
