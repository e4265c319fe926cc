package org.ffilab.account;

import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Finds the account behind a username typed into the sign-in form ({@link ThrottledPasswordSignIn} asks). */
class PasswordSignIn implements UserDetailsService {

	private final UserRepository users;

	PasswordSignIn(UserRepository users) {
		this.users = users;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		return this.users.findByUsername(Accounts.normalize(username))
			.filter((stored) -> stored.passwordHash() != null)
			.map((stored) -> new PasswordPrincipal(stored.user(), stored.passwordHash()))
			.orElseThrow(() -> new UsernameNotFoundException("No account with a password for " + username));
	}

}
