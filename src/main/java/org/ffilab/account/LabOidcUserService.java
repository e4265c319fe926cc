package org.ffilab.account;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Service;

/**
 * Single sign-on through the department's OpenID Connect provider: a claim of the id token (preferred_username by
 * default, else a verified email address) is the lab username. A first sign-in creates a student account; an
 * account made beforehand (for example by a roster import) with that username is the same person, since the
 * provider is trusted by configuration. Admins change roles. One exception: an administrator who has a password
 * signs in with it, so that a provider account that happens to share the name (often "admin") cannot take over the
 * lab.
 */
@Service
public class LabOidcUserService extends OidcUserService {

	/** The error code of refusals whose description is written for the person signing in. */
	public static final String REFUSED = "lab_account_refused";

	private static final Logger log = LoggerFactory.getLogger(LabOidcUserService.class);

	private final Accounts accounts;

	private final SingleSignOnProperties properties;

	LabOidcUserService(Accounts accounts, SingleSignOnProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser oidcUser = super.loadUser(request);
		String username = username(oidcUser).orElseThrow(() -> refused("The sign-on provider did not say who you are (no "
				+ this.properties.usernameClaim() + " and no verified email). Ask your administrator."));
		LabUser user;
		try {
			Optional<LabUser> existing = this.accounts.findByUsername(username);
			if (existing.isPresent() && existing.get().isAdmin() && this.accounts.hasPassword(existing.get().id())) {
				log.warn("Refused single sign-on as {} (sub {} of {}): an administrator with a password signs in "
						+ "with it", username, oidcUser.getSubject(), oidcUser.getIssuer());
				throw refused("The account " + username + " is an administrator's: sign in with its password.");
			}
			user = existing.orElseGet(() -> {
				LabUser created = this.accounts.createWithoutPassword(username, displayName(oidcUser, username),
						Role.STUDENT);
				log.info("Created the student {} at their first single sign-on (sub {} of {})", username,
						oidcUser.getSubject(), oidcUser.getIssuer());
				return created;
			});
		}
		catch (AccountException ex) {
			throw refused(ex.getMessage());
		}
		return new LabOidcUser(user, oidcUser);
	}

	private Optional<String> username(OidcUser oidcUser) {
		Object claim = oidcUser.getClaims().get(this.properties.usernameClaim());
		if (claim instanceof String name && !name.isBlank()) {
			return Optional.of(name);
		}
		// An address the provider has not verified could be anybody's.
		boolean verified = !Boolean.FALSE.equals(oidcUser.getEmailVerified());
		return Optional.ofNullable(oidcUser.getEmail()).filter((email) -> verified && !email.isBlank());
	}

	/** The name teachers see: the provider's full name, else given and family name, else the username. */
	static String displayName(OidcUser oidcUser, String fallback) {
		String name = oidcUser.getFullName();
		if (name == null || name.isBlank()) {
			name = String.join(" ", Optional.ofNullable(oidcUser.getGivenName()).orElse(""),
					Optional.ofNullable(oidcUser.getFamilyName()).orElse(""));
		}
		// The provider's data is not ours to refuse: make it fit (no control characters, at most 200 characters).
		name = name.codePoints()
			.map((c) -> Character.isISOControl(c) ? ' ' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString()
			.strip()
			.replaceAll("\\s+", " ");
		if (name.isEmpty()) {
			return fallback;
		}
		if (name.length() <= 200) {
			return name;
		}
		return name.substring(0, Character.isHighSurrogate(name.charAt(199)) ? 199 : 200).strip();
	}

	private static OAuth2AuthenticationException refused(String message) {
		return new OAuth2AuthenticationException(new OAuth2Error(REFUSED, message, null), message);
	}

}
