package org.ffilab.account;

import java.util.List;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/** A user signed in through single sign-on, with the lab's role as their authority. */
final class LabOidcUser extends DefaultOidcUser implements LabPrincipal {

	private final LabUser user;

	LabOidcUser(LabUser user, OidcUser signedIn) {
		super(List.of(new SimpleGrantedAuthority(user.role().authority())), signedIn.getIdToken(),
				signedIn.getUserInfo());
		this.user = user;
	}

	@Override
	public LabUser labUser() {
		return this.user;
	}

	@Override
	public String getName() {
		return this.user.username();
	}

}
