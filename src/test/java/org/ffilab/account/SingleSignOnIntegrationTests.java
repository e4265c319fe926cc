package org.ffilab.account;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.testsupport.FakeOidcProvider;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on end to end: a provider started by the test, the app configured against it by properties only, and
 * a client that clicks "Sign in with Campus ID" on the sign-in page and follows every redirect by hand, as a browser
 * would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
				"ffilab.content-dir=src/test/resources/test-content" })
@ActiveProfiles("test")
class SingleSignOnIntegrationTests {

	private static final FakeOidcProvider provider = FakeOidcProvider.start();

	private static final Pattern PROVIDER_LINK = Pattern.compile("<a class=\"btn\" href=\"([^\"]+)\">Sign in with ([^<]+)</a>");

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@DynamicPropertySource
	static void singleSignOn(DynamicPropertyRegistry registry) {
		provider.clientProperties("campus", "Campus ID").forEach((name, value) -> registry.add(name, () -> value));
	}

	@AfterAll
	static void stopProvider() {
		provider.close();
	}

	@Test
	void theSignInPageOffersTheProvider() {
		Visitor visitor = new Visitor();
		String page = visitor.get(app("/login")).body();
		Matcher link = PROVIDER_LINK.matcher(page);
		assertThat(link.find()).as(page).isTrue();
		assertThat(link.group(2)).isEqualTo("Campus ID");
		assertThat(link.group(1)).isEqualTo("/oauth2/authorization/campus");
	}

	@Test
	void aFirstSignInMakesANewStudentNamedAsTheProviderSays() {
		String username = "ada-" + unique();
		provider.signInNextAs(username, "Ada Lovelace");
		Visitor visitor = new Visitor();
		HttpResponse<String> landed = visitor.signInThroughProvider();

		assertThat(landed.uri().getPath()).isEqualTo("/");
		assertThat(landed.statusCode()).isEqualTo(200);
		assertThat(landed.body()).contains("Ada Lovelace (student)");
		LabUser created = this.accounts.findByUsername(username).orElseThrow();
		assertThat(created.role()).isEqualTo(Role.STUDENT);
		assertThat(created.displayName()).isEqualTo("Ada Lovelace");
		// Signed in for the API too, and no password was made for the account.
		assertThat(visitor.get(app("/classes")).statusCode()).isEqualTo(200);
		assertThat(new LabSession(this.port).signInWith(username, "").headers().firstValue("Location").orElse(""))
			.contains("error");
	}

	@Test
	void aSecondSignInIsTheSameAccount() {
		String username = "grace-" + unique();
		provider.signInNextAs(username, "Grace Hopper");
		new Visitor().signInThroughProvider();
		long id = this.accounts.findByUsername(username).orElseThrow().id();

		provider.signInNextAs(username, "Grace Hopper");
		HttpResponse<String> again = new Visitor().signInThroughProvider();
		assertThat(again.body()).contains("Grace Hopper (student)");
		assertThat(this.accounts.findByUsername(username).orElseThrow().id()).isEqualTo(id);
		assertThat(this.accounts.all().stream().filter((user) -> user.username().equals(username))).hasSize(1);
	}

	@Test
	void theSessionGetsANewIdWhenTheProviderSignsSomeoneIn() {
		String username = "fix-" + unique();
		provider.signInNextAs(username, "Fix Ation");
		Visitor visitor = new Visitor();
		// The session that holds the sign-in request: an attacker could have planted this one.
		visitor.get(app("/oauth2/authorization/campus"));
		String before = visitor.sessionCookie().orElseThrow();
		visitor.signInThroughProvider();
		assertThat(visitor.sessionCookie()).isPresent().get().isNotEqualTo(before);
	}

	@Test
	void aTamperedIdTokenIsRefused() {
		// Mallory signs in as herself and changes the token to name a teacher.
		LabUser teacher = LabSession.createUser(this.accounts, "victim", Role.TEACHER);
		String username = "mallory-" + unique();
		provider.signInNextAs(username, "Mallory");
		provider.forgeNextIdTokenAs(teacher.username());
		Visitor visitor = new Visitor();
		HttpResponse<String> landed = visitor.signInThroughProvider();

		assertThat(landed.uri().getPath()).isEqualTo("/login");
		assertThat(landed.body()).contains("Single sign-on did not work (invalid_id_token)")
			.doesNotContain("Wrong username or password");
		assertThat(visitor.get(app("/")).statusCode()).isEqualTo(302);
		assertThat(visitor.get(app("/classes")).statusCode()).isEqualTo(302);
		assertThat(this.accounts.findByUsername(username)).isEmpty();
	}

	@Test
	void anIdTokenFromAnotherIssuerIsRefused() {
		String username = "eve-" + unique();
		provider.signInNextAs(username, "Eve");
		provider.nextIdTokenFromAnotherIssuer();
		Visitor visitor = new Visitor();
		HttpResponse<String> landed = visitor.signInThroughProvider();

		assertThat(landed.uri().getPath()).isEqualTo("/login");
		assertThat(visitor.get(app("/")).statusCode()).isEqualTo(302);
		assertThat(this.accounts.findByUsername(username)).isEmpty();
	}

	@Test
	void aCodeTheProviderRefusesEndsOnTheSignInPageWithAMessage() {
		String username = "late-" + unique();
		provider.signInNextAs(username, "Late Comer");
		provider.refuseNextCode();
		Visitor visitor = new Visitor();
		HttpResponse<String> landed = visitor.signInThroughProvider();

		assertThat(landed.statusCode()).isEqualTo(200);
		assertThat(landed.uri().getPath()).isEqualTo("/login");
		assertThat(landed.body()).contains("Single sign-on did not work (invalid_grant)");
		assertThat(this.accounts.findByUsername(username)).isEmpty();
	}

	@Test
	void anAccountMadeBeforehandIsTheSamePersonWithItsRole() {
		LabUser teacher = LabSession.createUser(this.accounts, "prof", Role.TEACHER);
		provider.signInNextAs(teacher.username().toUpperCase(), "Someone Else");
		HttpResponse<String> landed = new Visitor().signInThroughProvider();

		assertThat(landed.body()).contains(teacher.displayName() + " (teacher)");
		assertThat(this.accounts.findByUsername(teacher.username())).contains(teacher);
	}

	@Test
	void anAdministratorWithAPasswordCannotBeTakenOverThroughTheProvider() {
		LabUser admin = LabSession.createUser(this.accounts, "root", Role.ADMIN);
		provider.signInNextAs(admin.username(), "Not The Admin");
		Visitor visitor = new Visitor();
		HttpResponse<String> landed = visitor.signInThroughProvider();

		assertThat(landed.uri().getPath()).isEqualTo("/login");
		assertThat(landed.body()).contains("is an administrator&#39;s: sign in with its password");
		assertThat(visitor.get(app("/admin/users")).statusCode()).isEqualTo(302);
	}

	@Test
	void withoutAFullNameTheUsernameIsTheDisplayName() {
		String username = "anon-" + unique();
		provider.signInNextAs(username, null);
		HttpResponse<String> landed = new Visitor().signInThroughProvider();

		assertThat(landed.body()).contains(username + " (student)");
		assertThat(this.accounts.findByUsername(username).orElseThrow().displayName()).isEqualTo(username);
	}

	@Test
	void theEndpointsAreTakenFromThePropertiesNotDiscovered() {
		provider.signInNextAs("disco-" + unique(), null);
		new Visitor().signInThroughProvider();
		assertThat(provider.tokenRequests()).isPositive();
		assertThat(provider.discoveryRequests()).isZero();
	}

	private URI app(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static String unique() {
		return UUID.randomUUID().toString().substring(0, 8);
	}

	/** A browser without JavaScript: keeps cookies and follows redirects one by one, across both servers. */
	private final class Visitor {

		private final CookieManager cookies = new CookieManager();

		private final HttpClient http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5))
			.build();

		final List<URI> visited = new ArrayList<>();

		/** Opens the sign-in page, clicks the provider's button, follows redirects; the last page answered. */
		HttpResponse<String> signInThroughProvider() {
			Matcher link = PROVIDER_LINK.matcher(get(app("/login")).body());
			assertThat(link.find()).as("a provider button on the sign-in page").isTrue();
			return follow(app(link.group(1)));
		}

		HttpResponse<String> follow(URI start) {
			URI next = start;
			for (int hop = 0; hop < 10; hop++) {
				HttpResponse<String> response = get(next);
				if (response.statusCode() / 100 != 3) {
					return response;
				}
				next = next.resolve(response.headers().firstValue("Location").orElseThrow());
			}
			throw new AssertionError("more than 10 redirects: " + this.visited);
		}

		HttpResponse<String> get(URI uri) {
			this.visited.add(uri);
			try {
				return this.http.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(),
						HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new IllegalStateException("GET " + uri, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		Optional<String> sessionCookie() {
			return this.cookies.getCookieStore()
				.get(app("/"))
				.stream()
				.filter((cookie) -> cookie.getName().equals("SESSION"))
				.map(HttpCookie::getValue)
				.findFirst();
		}

	}

}
