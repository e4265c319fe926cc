package org.ffilab.account;

/** What a signed-in person may do: students work, teachers watch their classes, admins run the lab. */
public enum Role {

	STUDENT, TEACHER, ADMIN;

	/** The Spring Security authority for this role ("ROLE_TEACHER"). */
	public String authority() {
		return "ROLE_" + name();
	}

}
