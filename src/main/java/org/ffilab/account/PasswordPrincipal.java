package org.ffilab.account;

import java.util.Collection;
import java.util.List;

import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A user signing in with a password; the hash is erased once the password was checked. */
final class PasswordPrincipal implements UserDetails, CredentialsContainer, LabPrincipal {

	private final LabUser user;

	private String passwordHash;

	PasswordPrincipal(LabUser user, String passwordHash) {
		this.user = user;
		this.passwordHash = passwordHash;
	}

	@Override
	public LabUser labUser() {
		return this.user;
	}

	@Override
	public Collection<? extends GrantedAuthority> getAuthorities() {
		return List.of(new SimpleGrantedAuthority(this.user.role().authority()));
	}

	@Override
	public String getPassword() {
		return this.passwordHash;
	}

	@Override
	public String getUsername() {
		return this.user.username();
	}

	@Override
	public void eraseCredentials() {
		this.passwordHash = null;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof PasswordPrincipal that && this.user.id() == that.user.id();
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.user.id());
	}

	@Override
	public String toString() {
		return "PasswordPrincipal[" + this.user.username() + "]";
	}

}
