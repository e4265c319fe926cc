package org.ffilab.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.stereotype.Component;

/**
 * Ends a person's signed-in sessions, which live in the database indexed by username: after a password change or
 * reset (whoever knew the old one is out) and a role change (a session keeps the role it signed in with).
 * Pages and API calls of an ended session answer as if signed out; a WebSocket already open stays until it closes.
 */
@Component
class AccountSessions {

	private static final Logger log = LoggerFactory.getLogger(AccountSessions.class);

	private final ObjectProvider<FindByIndexNameSessionRepository<?>> sessions;

	AccountSessions(ObjectProvider<FindByIndexNameSessionRepository<?>> sessions) {
		this.sessions = sessions;
	}

	/** Ends every session of the user but the one with id {@code keep} (null: all); returns how many. */
	int signOut(LabUser user, String keep) {
		FindByIndexNameSessionRepository<?> repository = this.sessions.getIfAvailable();
		if (repository == null) {
			log.warn("No session store that finds sessions by user: {} stays signed in where they are", user.username());
			return 0;
		}
		int ended = 0;
		for (String id : repository.findByPrincipalName(user.username()).keySet()) {
			if (!id.equals(keep)) {
				repository.deleteById(id);
				ended++;
			}
		}
		return ended;
	}

}
