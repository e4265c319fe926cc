package org.ffilab.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.ffilab.account.LabUser;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.LabStomp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way in, tried by people who should not get through: signed out, another student, a teacher of another
 * class; and the people who should: the student, their teacher, an admin. Each denial is its own assertion.
 */
class AuthorizationIntegrationTests extends DoorTests {

	private static final String RUN = """
			{"task":"01-echo","track":"python","files":{"main.py":"print('mine')"}}""";

	@Test
	void signedOutVisitorsAreSentToSignInAndTheApiSays401() throws Exception {
		for (String page : List.of("/", "/tasks/01-echo", "/classes", "/classes/" + this.people.classroom().id(),
				"/admin/users")) {
			HttpResponse<String> response = anonymous(page);
			assertThat(response.statusCode()).as(page).isEqualTo(302);
			assertThat(response.headers().firstValue("Location").orElse("")).as(page).endsWith("/login");
		}
		assertThat(anonymous("/api/runs/" + this.aliceRun).statusCode()).isEqualTo(401);
		assertThat(anonymous("/login").statusCode()).isEqualTo(200);
		assertThat(anonymous("/signup").statusCode()).isEqualTo(200);
		assertThat(anonymous("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	@Test
	void aSignedOutPostIsRefused() throws Exception {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/runs"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(RUN))
			.build());
		assertThat(response.statusCode()).isIn(401, 403);
	}

	@Test
	void aPostWithoutTheCsrfTokenIsRefusedEvenWhenSignedIn() throws Exception {
		HttpResponse<String> response = this.people.alice().postJsonWithoutCsrf("/api/runs", RUN);
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void aWrongPasswordDoesNotSignIn() {
		HttpResponse<String> response = new LabSession(this.port).signInWith(this.people.alice().user().username(), "wrong");
		assertThat(response.headers().firstValue("Location").orElse("")).contains("/login?error");
	}

	@Test
	void aStudentSeesTheirOwnRunAndNobodyElsesLikeNoRunAtAll() {
		assertThat(this.people.alice().get("/api/runs/" + this.aliceRun).statusCode()).isEqualTo(200);
		HttpResponse<String> bobs = this.people.bob().get("/api/runs/" + this.aliceRun);
		assertThat(bobs.statusCode()).isEqualTo(404);
		assertThat(bobs.body()).doesNotContain("mine");
		assertThat(this.people.bob().get("/api/runs/" + UUID.randomUUID()).statusCode()).as("a guessed id").isEqualTo(404);
	}

	@Test
	void aTeacherSeesTheirStudentsRunsOnlyAndAnAdminSeesAll() {
		assertThat(this.people.teacher().get("/api/runs/" + this.aliceRun).statusCode()).isEqualTo(200);
		assertThat(this.people.otherTeacher().get("/api/runs/" + this.aliceRun).statusCode()).isEqualTo(404);
		assertThat(this.people.admin().get("/api/runs/" + this.aliceRun).statusCode()).isEqualTo(200);
	}

	@Test
	void onlyTheStudentWhoSubmittedARunMayRetryIt() throws Exception {
		String retry = "/api/runs/" + this.aliceRun + "/retry";
		assertThat(this.people.bob().postJson(retry, "").statusCode()).as("another student").isEqualTo(404);
		assertThat(this.people.otherTeacher().postJson(retry, "").statusCode()).as("a teacher of another class").isEqualTo(404);
		assertThat(this.people.teacher().postJson(retry, "").statusCode()).as("their teacher").isEqualTo(403);
		assertThat(this.people.alice().postJsonWithoutCsrf(retry, "").statusCode()).as("without CSRF").isEqualTo(403);
		HttpResponse<String> signedOut = send(HttpRequest.newBuilder(uri(retry))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(signedOut.statusCode()).as("signed out").isIn(401, 403);
		assertThat(this.people.alice().postJson(retry, "").statusCode()).as("the owner, of a run that passed").isEqualTo(409);
	}

	@Test
	void classPagesAreForTheirTeachersAndAdmins() {
		String page = "/classes/" + this.people.classroom().id();
		assertThat(this.people.teacher().get(page).statusCode()).isEqualTo(200);
		assertThat(this.people.teacher().get(page).body()).contains(this.people.classroom().joinCode());
		assertThat(this.people.admin().get(page).statusCode()).isEqualTo(200);
		assertThat(this.people.otherTeacher().get(page).statusCode()).isEqualTo(404);
		assertThat(this.people.alice().get(page).statusCode()).isEqualTo(404);
		assertThat(this.people.alice().get("/classes/999999").statusCode()).isEqualTo(404);
	}

	@Test
	void onlyAdminsOpenTheUserAdministration() {
		assertThat(this.people.admin().get("/admin/users").statusCode()).isEqualTo(200);
		assertThat(this.people.teacher().get("/admin/users").statusCode()).isEqualTo(403);
		assertThat(this.people.alice().get("/admin/users").statusCode()).isEqualTo(403);
		HttpResponse<String> create = this.people.alice().postForm("/admin/users",
				Map.of("username", "sneaky", "password", "long-enough-pw", "role", "ADMIN"));
		assertThat(create.statusCode()).isEqualTo(403);
		assertThat(this.accounts.findByUsername("sneaky")).isEmpty();
	}

	@Test
	void studentsCannotCreateClasses() {
		HttpResponse<String> response = this.people.alice().postForm("/classes", Map.of("name", "Mine now"));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(this.classrooms.taughtBy(this.people.alice().user())).isEmpty();
	}

	@Test
	void metricsNeedAnAdminWithBasicAuth() throws Exception {
		assertThat(anonymous("/actuator/prometheus").statusCode()).isEqualTo(401);
		assertThat(basic("/actuator/prometheus", this.people.alice().user()).statusCode()).isEqualTo(403);
		assertThat(basic("/actuator/prometheus", this.people.admin().user()).statusCode()).isEqualTo(200);
	}

	@Test
	void pagesCarrySecurityHeaders() {
		HttpResponse<String> page = this.people.alice().get("/");
		assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
			.contains("frame-ancestors 'none'");
		assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
	}

	@Test
	void theWebSocketHandshakeNeedsASignedInSession() {
		var client = stompClient();
		assertThatThrownBy(() -> client
			.connectAsync("ws://localhost:" + this.port + "/ws", new WebSocketHttpHeaders(), new StompHeaders(),
					new StompSessionHandlerAdapter() {
					})
			.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
	}

	@Test
	void connectWithoutTheCsrfTokenIsRefused() {
		var client = stompClient();
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.add("Cookie", this.people.alice().cookieHeader());
		CompletableFuture<StompSession> connected = client.connectAsync("ws://localhost:" + this.port + "/ws",
				handshake, new StompHeaders(), new StompSessionHandlerAdapter() {
				});
		assertThatThrownBy(() -> connected.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
	}

	@Test
	void aStudentCannotSubscribeToAnotherStudentsRunTopic() throws Exception {
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		StompSession own = LabStomp.connect(this.people.alice());
		assertThat(LabStomp.subscribe(own, "/topic/runs/" + this.aliceRun, messages)).as("own run").isTrue();
		own.disconnect();
		StompSession other = LabStomp.connect(this.people.bob());
		assertThat(LabStomp.subscribe(other, "/topic/runs/" + this.aliceRun, messages)).as("someone else's run")
			.isFalse();
		StompSession guess = LabStomp.connect(this.people.bob());
		assertThat(LabStomp.subscribe(guess, "/topic/runs/" + UUID.randomUUID(), messages)).as("a guessed id")
			.isFalse();
		StompSession wildcard = LabStomp.connect(this.people.bob());
		assertThat(LabStomp.subscribe(wildcard, "/topic/runs/*", messages)).as("a pattern").isFalse();
		StompSession anyTopic = LabStomp.connect(this.people.bob());
		assertThat(LabStomp.subscribe(anyTopic, "/topic/other", messages)).as("an unknown topic").isFalse();
	}

	@Test
	void teachersSubscribeToTheirStudentsRunsAndOwnClassesOnly() throws Exception {
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		String classTopic = "/topic/classes/" + this.people.classroom().id();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.teacher()), "/topic/runs/" + this.aliceRun, messages))
			.isTrue();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.teacher()), classTopic, messages)).isTrue();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.admin()), classTopic, messages)).isTrue();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.otherTeacher()), classTopic, messages)).isFalse();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.otherTeacher()), "/topic/runs/" + this.aliceRun, messages))
			.isFalse();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.alice()), classTopic, messages)).isFalse();
	}

	private WebSocketStompClient stompClient() {
		var client = new WebSocketStompClient(new StandardWebSocketClient());
		client.setMessageConverter(new StringMessageConverter());
		var scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		client.setTaskScheduler(scheduler);
		return client;
	}

	private HttpResponse<String> basic(String path, LabUser user) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString((user.username() + ":" + LabSession.PASSWORD).getBytes());
		return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic " + credentials)
			.build());
	}

}
