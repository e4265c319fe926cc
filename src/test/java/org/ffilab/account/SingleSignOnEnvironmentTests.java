package org.ffilab.account;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FFILAB_SSO_* as the compose stack passes them (every variable, most empty), and the registration they make: the
 * provider at an address that does not resolve, so that any discovery request at start-up would fail the context.
 */
class SingleSignOnEnvironmentTests {

	@Test
	void anEmptyClientIdConfiguresNothing() {
		MockEnvironment environment = new MockEnvironment().withProperty("ffilab.sso.client-id", "")
			.withProperty("ffilab.sso.client-secret", "")
			.withProperty("ffilab.sso.issuer-uri", "");
		process(environment);
		assertThat(environment.getPropertySources().contains(SingleSignOnEnvironment.SOURCE_NAME)).isFalse();
		assertThat(environment.getProperty("spring.security.oauth2.client.registration.sso.client-id")).isNull();
	}

	@Test
	void aClientIdMakesTheRegistrationSsoWithTheGivenEndpoints() {
		MockEnvironment environment = keycloak();
		process(environment);
		assertThat(environment.getProperty("spring.security.oauth2.client.registration.sso.client-id"))
			.isEqualTo("ffi-lab");
		assertThat(environment.getProperty("spring.security.oauth2.client.registration.sso.client-name"))
			.isEqualTo("Campus ID");
		assertThat(environment.getProperty("spring.security.oauth2.client.registration.sso.scope"))
			.isEqualTo("openid,profile,email");
		assertThat(environment.getProperty("spring.security.oauth2.client.provider.sso.token-uri"))
			.isEqualTo("https://idp.invalid/realms/lab/protocol/openid-connect/token");
	}

	@Test
	void givenEndpointsAreUsedWithoutDiscoveryAndTheIssuerIsKeptForTheCheck() {
		MockEnvironment environment = keycloak();
		process(environment);
		new ApplicationContextRunner().withInitializer((context) -> {
			ConfigurableEnvironment target = context.getEnvironment();
			environment.getPropertySources().forEach(target.getPropertySources()::addFirst);
		}).withUserConfiguration(SingleSignOnConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ClientRegistration sso = context.getBean(ClientRegistrationRepository.class).findByRegistrationId("sso");
			assertThat(sso.getClientName()).isEqualTo("Campus ID");
			assertThat(sso.getProviderDetails().getIssuerUri()).isEqualTo("https://idp.invalid/realms/lab");
			assertThat(sso.getProviderDetails().getAuthorizationUri())
				.isEqualTo("https://idp.invalid/realms/lab/protocol/openid-connect/auth");
			assertThat(sso.getProviderDetails().getJwkSetUri())
				.isEqualTo("https://idp.invalid/realms/lab/protocol/openid-connect/certs");
			assertThat(sso.getScopes()).containsExactlyInAnyOrder("openid", "profile", "email");
			assertThat(sso.getRedirectUri()).isEqualTo("{baseUrl}/login/oauth2/code/{registrationId}");
		});
	}

	@Test
	void withoutAnyRegistrationThereIsNoRepositoryAndSoNoSingleSignOn() {
		new ApplicationContextRunner().withUserConfiguration(SingleSignOnConfiguration.class)
			.run((context) -> assertThat(context).doesNotHaveBean(ClientRegistrationRepository.class));
	}

	private static MockEnvironment keycloak() {
		String realm = "https://idp.invalid/realms/lab";
		return new MockEnvironment().withProperty("ffilab.sso.name", "Campus ID")
			.withProperty("ffilab.sso.client-id", "ffi-lab")
			.withProperty("ffilab.sso.client-secret", "secret")
			.withProperty("ffilab.sso.issuer-uri", realm)
			.withProperty("ffilab.sso.authorization-uri", realm + "/protocol/openid-connect/auth")
			.withProperty("ffilab.sso.token-uri", realm + "/protocol/openid-connect/token")
			.withProperty("ffilab.sso.jwk-set-uri", realm + "/protocol/openid-connect/certs");
	}

	private static void process(ConfigurableEnvironment environment) {
		new SingleSignOnEnvironment().postProcessEnvironment(environment, new SpringApplication());
	}

}
