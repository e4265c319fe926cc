package org.ffilab.account;

import java.util.Optional;

import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;

/**
 * Single sign-on through the department's OpenID Connect provider: the provider's username (preferred_username,
 * else email) is the lab username. A first sign-in creates a student account; an account made beforehand (for
 * example by a roster import) with that username is the same person, since the provider is trusted by
 * configuration. Admins change roles.
 */
@Service
public class LabOidcUserService extends OidcUserService {

	private final Accounts accounts;

	LabOidcUserService(Accounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser oidcUser = super.loadUser(request);
		String username = Optional.ofNullable(oidcUser.getPreferredUsername())
			.or(() -> Optional.ofNullable(oidcUser.getEmail()))
			.orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error("invalid_user",
					"The sign-on provider sent neither preferred_username nor email.", null)));
		LabUser user;
		try {
			user = this.accounts.findByUsername(username)
				.orElseGet(() -> this.accounts.createWithoutPassword(username, displayName(oidcUser, username),
						Role.STUDENT));
		}
		catch (AccountException ex) {
			throw new OAuth2AuthenticationException(new OAuth2Error("invalid_user", ex.getMessage(), null));
		}
		return new LabOidcUser(user, oidcUser);
	}

	private static String displayName(OidcUser oidcUser, String fallback) {
		return (oidcUser.getFullName() != null) ? oidcUser.getFullName() : fallback;
	}

}
