package org.ffilab.account;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns FFILAB_SSO_* into Spring Boot's client registration {@code sso}, but only when a client id is given: the
 * compose file passes every FFILAB_SSO_* variable, most of them empty, and Boot refuses a registration with an empty
 * client id. Boot's own spring.security.oauth2.client.* properties for {@code sso} take precedence.
 */
class SingleSignOnEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE_NAME = "ffilabSingleSignOn";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		SingleSignOnProperties sso = Binder.get(environment)
			.bindOrCreate("ffilab.sso", SingleSignOnProperties.class);
		if (!sso.configured()) {
			return;
		}
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties(sso)));
	}

	static Map<String, Object> properties(SingleSignOnProperties sso) {
		String registration = "spring.security.oauth2.client.registration." + SingleSignOnProperties.REGISTRATION_ID
				+ ".";
		String provider = "spring.security.oauth2.client.provider." + SingleSignOnProperties.REGISTRATION_ID + ".";
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(registration + "client-id", sso.clientId().strip());
		putIfText(properties, registration + "client-secret", sso.clientSecret());
		properties.put(registration + "client-name", sso.name());
		properties.put(registration + "scope", String.join(",", sso.scope()));
		properties.put(registration + "authorization-grant-type", "authorization_code");
		properties.put(registration + "redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}");
		putIfText(properties, provider + "issuer-uri", sso.issuerUri());
		putIfText(properties, provider + "authorization-uri", sso.authorizationUri());
		putIfText(properties, provider + "token-uri", sso.tokenUri());
		putIfText(properties, provider + "jwk-set-uri", sso.jwkSetUri());
		return properties;
	}

	private static void putIfText(Map<String, Object> properties, String name, String value) {
		if (value != null && !value.isBlank()) {
			properties.put(name, value.strip());
		}
	}

	/** After the application's properties files are read (Boot's config data processor runs early). */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
