package org.ffilab.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.ConditionalOnOAuth2ClientRegistrationProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientPropertiesMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.util.StringUtils;

/**
 * The single sign-on providers of spring.security.oauth2.client.*, read as Spring Boot reads them but for one thing:
 * a provider given its issuer-uri together with its authorization, token and JWK set URIs is not asked for its
 * discovery document at start-up. Boot fetches that document whenever issuer-uri is set, so the lab could not start
 * while the provider is down; here the issuer is kept only to check the iss claim of every id token. With
 * issuer-uri alone, the endpoints are discovered at start-up as in Boot.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnOAuth2ClientRegistrationProperties
@EnableConfigurationProperties(OAuth2ClientProperties.class)
class SingleSignOnConfiguration {

	@Bean
	InMemoryClientRegistrationRepository clientRegistrationRepository(OAuth2ClientProperties properties) {
		OAuth2ClientProperties withoutDiscovery = new OAuth2ClientProperties();
		withoutDiscovery.getRegistration().putAll(properties.getRegistration());
		Map<String, String> issuers = new HashMap<>();
		properties.getProvider().forEach((id, provider) -> {
			if (endpointsGiven(provider)) {
				issuers.put(id, provider.getIssuerUri());
				withoutDiscovery.getProvider().put(id, withoutIssuer(provider));
			}
			else {
				withoutDiscovery.getProvider().put(id, provider);
			}
		});
		List<ClientRegistration> registrations = new OAuth2ClientPropertiesMapper(withoutDiscovery)
			.asClientRegistrations()
			.values()
			.stream()
			.map((registration) -> {
				String issuer = issuers.get(providerId(properties, registration.getRegistrationId()));
				return (issuer != null)
						? ClientRegistration.withClientRegistration(registration).issuerUri(issuer).build()
						: registration;
			})
			.toList();
		return new InMemoryClientRegistrationRepository(registrations);
	}

	private static boolean endpointsGiven(OAuth2ClientProperties.Provider provider) {
		return StringUtils.hasText(provider.getIssuerUri()) && StringUtils.hasText(provider.getAuthorizationUri())
				&& StringUtils.hasText(provider.getTokenUri()) && StringUtils.hasText(provider.getJwkSetUri());
	}

	private static OAuth2ClientProperties.Provider withoutIssuer(OAuth2ClientProperties.Provider provider) {
		OAuth2ClientProperties.Provider copy = new OAuth2ClientProperties.Provider();
		copy.setAuthorizationUri(provider.getAuthorizationUri());
		copy.setTokenUri(provider.getTokenUri());
		copy.setJwkSetUri(provider.getJwkSetUri());
		copy.setUserInfoUri(provider.getUserInfoUri());
		copy.setUserInfoAuthenticationMethod(provider.getUserInfoAuthenticationMethod());
		copy.setUserNameAttribute(provider.getUserNameAttribute());
		return copy;
	}

	private static String providerId(OAuth2ClientProperties properties, String registrationId) {
		String provider = properties.getRegistration().get(registrationId).getProvider();
		return (provider != null) ? provider : registrationId;
	}

}
