package org.ffilab.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on through one OpenID Connect provider, in the lab's own names (FFILAB_SSO_*), for setups that pass
 * environment variables (the compose stack). When the client id is set they become the registration {@code sso} of
 * Spring Boot's spring.security.oauth2.client.* properties ({@link SingleSignOnEnvironment}); those properties
 * themselves work as well, for more than one provider. docs/admin-guide.md has examples.
 *
 * @param name the provider's name on the sign-in page ("Sign in with NAME")
 * @param clientId the lab's client id at the provider; empty: no single sign-on
 * @param clientSecret the lab's client secret at the provider
 * @param issuerUri the provider's issuer, exactly as its id tokens name it (Keycloak:
 * https://HOST/realms/REALM); the id token's iss claim must equal it
 * @param authorizationUri the provider's authorization endpoint; with the token and JWK set URIs it spares the
 * discovery request at start-up (the lab then starts while the provider is down)
 * @param tokenUri the provider's token endpoint
 * @param jwkSetUri where the provider publishes the keys its id tokens are signed with
 * @param scope the scopes asked for; openid is required, profile and email bring the name and the username claims
 * @param usernameClaim the id token claim that becomes the lab username (lowercased); when the token lacks it, a
 * verified email address is used
 */
@ConfigurationProperties("ffilab.sso")
public record SingleSignOnProperties(@DefaultValue("single sign-on") String name, String clientId,
		String clientSecret, String issuerUri, String authorizationUri, String tokenUri, String jwkSetUri,
		@DefaultValue({ "openid", "profile", "email" }) List<String> scope,
		@DefaultValue("preferred_username") String usernameClaim) {

	/** The registration id the lab's own properties configure. */
	static final String REGISTRATION_ID = "sso";

	public boolean configured() {
		return this.clientId != null && !this.clientId.isBlank();
	}

}
