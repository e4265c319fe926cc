package org.ffilab.security;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.classroom.Classrooms;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.People;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account pages (/account, /admin/users/{id}) and password sign-in throttling, tried by everyone who should not
 * get through and by those who should.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
				"ffilab.content-dir=src/test/resources/test-content" })
@ActiveProfiles("test")
class AccountAuthorizationIntegrationTests {

	private static final String NEW_PASSWORD = "a-new-and-long-password";

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@Autowired
	Classrooms classrooms;

	private People people;

	private final HttpClient anonymous = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@BeforeEach
	void setUp() {
		this.people = People.signIn(this.port, this.accounts, this.classrooms);
	}

	@Test
	void signedOutVisitorsAreSentToSignInAndCannotPost() throws Exception {
		long id = this.people.alice().user().id();
		for (String page : new String[] { "/account", "/admin/users/" + id }) {
			HttpResponse<String> response = anonymousGet(page);
			assertThat(response.statusCode()).as(page).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElse("")).as(page).endsWith("/login");
		}
		// Without a session there is no CSRF token to send: refused before anything else.
		assertThat(anonymousPost("/account/password", Map.of("currentPassword", LabSession.PASSWORD, "newPassword",
				NEW_PASSWORD, "repeatPassword", NEW_PASSWORD), null).statusCode()).isEqualTo(403);
		assertThat(anonymousPost("/admin/users/" + id + "/role", Map.of("role", "ADMIN"), null).statusCode())
			.isEqualTo(403);
		assertThat(anonymousPost("/admin/users/" + id + "/password", Map.of("password", NEW_PASSWORD), null)
			.statusCode()).isEqualTo(403);
		assertThat(signsInWith(this.people.alice().user(), LabSession.PASSWORD)).isTrue();
		assertThat(this.accounts.findByUsername(this.people.alice().user().username()).orElseThrow().role())
			.isEqualTo(Role.STUDENT);
	}

	@Test
	void everyoneSeesTheirOwnAccountPage() {
		HttpResponse<String> page = this.people.alice().get("/account");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains(this.people.alice().user().username()).contains("change-password-form");
		assertThat(this.people.teacher().get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void aPasswordChangeNeedsTheCurrentPassword() {
		HttpResponse<String> wrong = this.people.alice().postForm("/account/password",
				Map.of("currentPassword", "not-my-password", "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD));
		assertThat(wrong.statusCode()).isEqualTo(302);
		assertThat(this.people.alice().get("/account").body()).contains("The current password is wrong.");
		assertThat(signsInWith(this.people.alice().user(), LabSession.PASSWORD)).isTrue();
		assertThat(signsInWith(this.people.alice().user(), NEW_PASSWORD)).isFalse();
	}

	@Test
	void aPasswordChangeWithoutTheCsrfTokenIsRefused() throws Exception {
		HttpResponse<String> forged = anonymousPost("/account/password", Map.of("currentPassword",
				LabSession.PASSWORD, "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD),
				this.people.alice().cookieHeader());
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(signsInWith(this.people.alice().user(), NEW_PASSWORD)).isFalse();
	}

	@Test
	void aChangedPasswordSignsOutEveryOtherSessionButKeepsThisOne() {
		LabSession elsewhere = new LabSession(this.port).signIn(this.people.alice().user());
		assertThat(elsewhere.get("/").statusCode()).isEqualTo(200);
		HttpResponse<String> changed = this.people.alice().postForm("/account/password",
				Map.of("currentPassword", LabSession.PASSWORD, "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD));
		assertThat(changed.statusCode()).isEqualTo(302);
		assertThat(this.people.alice().get("/account").body()).contains("Your password is changed.");
		assertThat(this.people.alice().get("/").statusCode()).as("this browser").isEqualTo(200);
		assertThat(elsewhere.get("/").statusCode()).as("the other browser").isIn(302, 401);
		assertThat(signsInWith(this.people.alice().user(), NEW_PASSWORD)).isTrue();
		assertThat(signsInWith(this.people.alice().user(), LabSession.PASSWORD)).isFalse();
	}

	@Test
	void onlyAdminsOpenOrChangeSomeoneElsesAccount() {
		long id = this.people.bob().user().id();
		for (LabSession notAdmin : new LabSession[] { this.people.alice(), this.people.teacher() }) {
			assertThat(notAdmin.get("/admin/users/" + id).statusCode()).isEqualTo(403);
			assertThat(notAdmin.postForm("/admin/users/" + id + "/role", Map.of("role", "ADMIN")).statusCode())
				.isEqualTo(403);
			assertThat(notAdmin.postForm("/admin/users/" + id + "/password", Map.of("password", NEW_PASSWORD))
				.statusCode()).isEqualTo(403);
		}
		assertThat(this.people.alice().postForm("/admin/users/" + this.people.alice().user().id() + "/role", Map.of("role", "ADMIN"))
			.statusCode()).as("promoting oneself").isEqualTo(403);
		assertThat(this.accounts.find(id).orElseThrow().role()).isEqualTo(Role.STUDENT);
		assertThat(this.accounts.find(this.people.alice().user().id()).orElseThrow().role()).isEqualTo(Role.STUDENT);
		assertThat(signsInWith(this.people.bob().user(), NEW_PASSWORD)).isFalse();
		assertThat(this.people.admin().get("/admin/users/" + id).statusCode()).isEqualTo(200);
		assertThat(this.people.admin().get("/admin/users/99999999").statusCode()).isEqualTo(404);
	}

	@Test
	void anAdminsChangeWithoutTheCsrfTokenIsRefused() throws Exception {
		long id = this.people.bob().user().id();
		assertThat(anonymousPost("/admin/users/" + id + "/role", Map.of("role", "ADMIN"), this.people.admin().cookieHeader())
			.statusCode()).isEqualTo(403);
		assertThat(anonymousPost("/admin/users/" + id + "/password", Map.of("password", NEW_PASSWORD),
				this.people.admin().cookieHeader()).statusCode()).isEqualTo(403);
		assertThat(this.accounts.find(id).orElseThrow().role()).isEqualTo(Role.STUDENT);
		assertThat(signsInWith(this.people.bob().user(), NEW_PASSWORD)).isFalse();
	}

	@Test
	void anAdminPromotesATeacherWhoIsSignedOutAndComesBackATeacher() {
		assertThat(this.people.bob().get("/").statusCode()).isEqualTo(200);
		HttpResponse<String> promoted = this.people.admin().postForm("/admin/users/" + this.people.bob().user().id() + "/role",
				Map.of("role", "TEACHER"));
		assertThat(promoted.statusCode()).isEqualTo(302);
		assertThat(this.people.admin().get("/admin/users/" + this.people.bob().user().id()).body()).contains("is now a teacher");
		assertThat(this.accounts.find(this.people.bob().user().id()).orElseThrow().role()).isEqualTo(Role.TEACHER);
		assertThat(this.people.bob().get("/").statusCode()).as("the old session, with the old role").isIn(302, 401);
		LabSession again = new LabSession(this.port).signIn(this.people.bob().user());
		assertThat(again.get("/").body()).contains("(teacher)");
	}

	@Test
	void anAdminSetsANewPasswordAndThePersonIsSignedOut() {
		assertThat(this.people.bob().get("/").statusCode()).isEqualTo(200);
		HttpResponse<String> reset = this.people.admin().postForm("/admin/users/" + this.people.bob().user().id() + "/password",
				Map.of("password", NEW_PASSWORD));
		assertThat(reset.statusCode()).isEqualTo(302);
		assertThat(this.people.admin().get("/admin/users/" + this.people.bob().user().id()).body()).contains("New password set for");
		assertThat(this.people.bob().get("/").statusCode()).isIn(302, 401);
		assertThat(signsInWith(this.people.bob().user(), NEW_PASSWORD)).isTrue();
		assertThat(signsInWith(this.people.bob().user(), LabSession.PASSWORD)).isFalse();
	}

	@Test
	void anAdminChangesNeitherTheirOwnRoleNorTheirOwnPasswordThere() {
		long self = this.people.admin().user().id();
		this.people.admin().postForm("/admin/users/" + self + "/role", Map.of("role", "STUDENT"));
		assertThat(this.people.admin().get("/admin/users/" + self).body()).contains("You cannot change your own role");
		this.people.admin().postForm("/admin/users/" + self + "/password", Map.of("password", NEW_PASSWORD));
		assertThat(this.people.admin().get("/admin/users/" + self).body()).contains("Change your own password on your Account");
		assertThat(this.accounts.find(self).orElseThrow().role()).isEqualTo(Role.ADMIN);
		assertThat(signsInWith(this.people.admin().user(), LabSession.PASSWORD)).isTrue();
	}

	@Test
	void fiveWrongPasswordsLockTheUsernameEvenForTheRightOne() throws Exception {
		LabUser carol = LabSession.createUser(this.accounts, "carol", Role.STUDENT);
		LabSession guesser = new LabSession(this.port);
		for (int i = 0; i < 5; i++) {
			assertThat(guesser.signInWith(carol.username(), "guess-" + i).headers().firstValue("Location").orElse(""))
				.contains("/login?error");
		}
		assertThat(guesser.get("/login?error").body()).contains("Too many wrong passwords for this username");

		LabSession owner = new LabSession(this.port);
		assertThat(owner.signInWith(carol.username(), LabSession.PASSWORD).headers().firstValue("Location").orElse(""))
			.contains("/login?error");
		assertThat(owner.get("/login?error").body()).contains("Try again in 5 minutes");
		assertThat(basic("/actuator/prometheus", carol, LabSession.PASSWORD).statusCode()).as("HTTP Basic too")
			.isEqualTo(401);
		// Other usernames are not locked, and an admin's new password lifts the lock.
		assertThat(signsInWith(this.people.bob().user(), LabSession.PASSWORD)).isTrue();
		this.people.admin().postForm("/admin/users/" + carol.id() + "/password", Map.of("password", NEW_PASSWORD));
		assertThat(signsInWith(carol, NEW_PASSWORD)).isTrue();
	}

	@Test
	void unknownUsernamesAreLockedAlikeSoTheAnswersTellNothing() {
		LabSession guesser = new LabSession(this.port);
		for (int i = 0; i < 5; i++) {
			guesser.signInWith("nobody-by-this-name", "guess-" + i);
		}
		guesser.signInWith("nobody-by-this-name", "guess-5");
		assertThat(guesser.get("/login?error").body()).contains("Too many wrong passwords for this username");
	}

	private boolean signsInWith(LabUser user, String password) {
		return !new LabSession(this.port).signInWith(user.username(), password)
			.headers()
			.firstValue("Location")
			.orElse("")
			.contains("error");
	}

	private HttpResponse<String> anonymousGet(String path) throws Exception {
		return this.anonymous.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** A form POST without a CSRF token, with the given cookies (a forged cross-site form) or none. */
	private HttpResponse<String> anonymousPost(String path, Map<String, String> fields, String cookies)
			throws Exception {
		String body = fields.entrySet()
			.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (cookies != null) {
			request.header("Cookie", cookies);
		}
		return this.anonymous.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> basic(String path, LabUser user, String password) throws Exception {
		String credentials = Base64.getEncoder().encodeToString((user.username() + ":" + password).getBytes());
		return this.anonymous.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
