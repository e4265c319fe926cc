package org.ffilab.security;

import org.ffilab.account.LabOidcUserService;
import org.ffilab.account.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Who may open what over HTTP. Everything needs a signed-in user except the sign-in and sign-up pages, the
 * static files and the health probes; the live topics are guarded in {@link WebSocketSecurityConfiguration}, and
 * whose runs a user may see is decided by the services (a run of someone else answers 404, like no run).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

	/**
	 * No inline scripts; styles may be inline because the code editor writes its own style element. The
	 * WebSocket goes to the same origin, which 'self' covers.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
			+ "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

	/** The actuator: probes are open (load balancers, compose), the rest (metrics) is for admins, with HTTP Basic. */
	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
		http.securityMatcher("/actuator/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.anyRequest()
				.hasRole(Role.ADMIN.name()))
			.httpBasic(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain appSecurity(HttpSecurity http, ObjectProvider<ClientRegistrationRepository> singleSignOn,
			LabOidcUserService oidcUsers) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/login", "/signup", "/app/**", "/error", "/favicon.ico", "/favicon.svg")
			.permitAll()
			.requestMatchers("/admin/**")
			.hasRole(Role.ADMIN.name())
			.anyRequest()
			.authenticated())
			.formLogin((form) -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
			.logout((logout) -> logout.logoutSuccessUrl("/login?signedOut").permitAll())
			.securityContext((context) -> context.securityContextRepository(securityContextRepository()))
			// The browser's API calls get a status, not the sign-in page, when the session is gone.
			.exceptionHandling((errors) -> errors.defaultAuthenticationEntryPointFor(
					new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED),
					PathPatternRequestMatcher.withDefaults().matcher("/api/**")))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
				.permissionsPolicyHeader((permissions) -> permissions.policy("camera=(), microphone=(), geolocation=()")));
		if (singleSignOn.getIfAvailable() != null) {
			http.oauth2Login((oauth) -> oauth.loginPage("/login")
				.userInfoEndpoint((userInfo) -> userInfo.oidcUserService(oidcUsers))
				.failureHandler(singleSignOnFailure()));
		}
		return http.build();
	}

	/**
	 * A failed single sign-on goes back to the sign-in page, which says why (SignInController), and into the log,
	 * where the reason is what an admin needs to fix a provider's configuration (a wrong issuer, secret or key).
	 */
	private static AuthenticationFailureHandler singleSignOnFailure() {
		AuthenticationFailureHandler toSignInPage = new SimpleUrlAuthenticationFailureHandler("/login?error");
		return (request, response, failure) -> {
			log.warn("Single sign-on failed: {}", failure.getMessage());
			toSignInPage.onAuthenticationFailure(request, response, failure);
		};
	}

	/** Where a signed-in user is kept between requests: the session, which lives in the database. */
	@Bean
	SecurityContextRepository securityContextRepository() {
		return new HttpSessionSecurityContextRepository();
	}

}
