package org.ffilab.security;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ffilab.FfiLabApplication;
import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed-in sessions live in the database (Spring Session JDBC, tables from Flyway), so a restart of the app signs
 * nobody out: the app is started, a student signs in, the app stops, a new one starts on the same database, and the
 * old session cookie and the CSRF token the page gave before the restart still work. On H2 (a file database in a
 * temporary folder) in the normal build; on PostgreSQL when the pom's postgres-tests profile runs it (scripts/lab
 * test), with the database of FFILAB_TEST_POSTGRES_URL.
 */
class SessionRestartIntegrationTests {

	@TempDir
	Path folder;

	@Test
	void aSignedInSessionAndItsCsrfTokenSurviveARestartOfTheApp() throws Exception {
		int port = freePort();
		String[] arguments = arguments(port);
		LabSession student;
		String tokenBeforeRestart;
		try (ConfigurableApplicationContext first = start(arguments)) {
			student = LabSession.newUser(port, first.getBean(Accounts.class), "restart", Role.STUDENT);
			assertThat(student.get("/account").body()).contains(student.user().username());
			tokenBeforeRestart = student.csrfToken();
		}
		assertThatThrownBy(() -> student.get("/")).as("the app is down").isInstanceOf(IllegalStateException.class);

		try (ConfigurableApplicationContext second = start(arguments)) {
			HttpResponse<String> page = student.get("/account");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).contains(student.user().username()).contains("(student)");
			// The API knows who asks: a run that does not exist is 404 for a signed-in user, 401 when signed out.
			String noRun = "/api/runs/" + UUID.randomUUID();
			assertThat(student.get(noRun).statusCode()).isEqualTo(404);
			assertThat(new LabSession(port).get(noRun).statusCode()).as("without the cookie").isEqualTo(401);

			// The token from before the restart is accepted (LabSession keeps sending the one it read then) ...
			assertThat(student.csrfToken()).isEqualTo(tokenBeforeRestart);
			HttpResponse<String> join = student.postForm("/classes/join", Map.of("code", "NO-SUCH-CODE"));
			assertThat(join.statusCode()).isEqualTo(302);
			assertThat(join.headers().firstValue("Location").orElse("")).endsWith("/classes");
			assertThat(student.get("/classes").body()).contains("No class has the join code");
			// ... and one made up is not.
			assertThat(postWithToken(port, student, "/classes/join", "not-the-token").statusCode()).isEqualTo(403);
		}
	}

	/** The same database for both starts; PostgreSQL when the postgres-tests profile hands its URL over. */
	private String[] arguments(int port) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + port, "--spring.profiles.active=test",
				"--ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
				"--ffilab.content-dir=src/test/resources/test-content"));
		String postgres = System.getProperty("spring.datasource.url");
		if (postgres != null && postgres.startsWith("jdbc:postgresql:")) {
			arguments.add("--spring.datasource.url=" + postgres);
		}
		else {
			arguments.add("--spring.datasource.url=jdbc:h2:file:" + this.folder.resolve("lab").toAbsolutePath()
					+ ";DB_CLOSE_ON_EXIT=FALSE");
		}
		return arguments.toArray(String[]::new);
	}

	private static ConfigurableApplicationContext start(String[] arguments) {
		return new SpringApplicationBuilder(FfiLabApplication.class).run(arguments);
	}

	private static HttpResponse<String> postWithToken(int port, LabSession session, String path, String token)
			throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Cookie", session.cookieHeader())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("code=NO-SUCH-CODE&_csrf=" + token))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
