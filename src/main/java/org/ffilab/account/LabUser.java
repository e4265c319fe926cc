package org.ffilab.account;

import java.io.Serializable;
import java.util.Optional;

import org.springframework.security.core.Authentication;

/**
 * A person signed in to the lab, as the rest of the app sees them (never with a password). Kept in the HTTP
 * session, so it is serializable.
 */
public record LabUser(long id, String username, String displayName, Role role) implements Serializable {

	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

	public boolean isTeacher() {
		return this.role == Role.TEACHER || this.role == Role.ADMIN;
	}

	/** The lab user behind an authentication, whichever way they signed in. */
	public static Optional<LabUser> of(Authentication authentication) {
		if (authentication != null && authentication.getPrincipal() instanceof LabPrincipal principal) {
			return Optional.of(principal.labUser());
		}
		return Optional.empty();
	}

}
