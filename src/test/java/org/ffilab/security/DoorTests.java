package org.ffilab.security;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.ffilab.account.Accounts;
import org.ffilab.classroom.Classrooms;
import org.ffilab.run.ScriptedSandbox;
import org.ffilab.testsupport.People;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

/**
 * What the authorization tests share: the app with a scripted sandbox, the cast of {@link People} signed in
 * afresh for each test, one finished run of alice's, and a client with no session at all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ffilab.content-dir=src/test/resources/test-content")
@ActiveProfiles("test")
@Import(DoorTests.FakeSandbox.class)
abstract class DoorTests {

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@Autowired
	Classrooms classrooms;

	People people;

	String aliceRun;

	private final HttpClient signedOut = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@BeforeEach
	void signInTheCast() {
		this.people = People.signIn(this.port, this.accounts, this.classrooms);
		this.aliceRun = this.people.alice().submitAndWait("01-echo", "python", Map.of("main.py", "print('mine')"));
	}

	/** A GET with no session, with the Accept header of a browser: pages answer it with the sign-in page. */
	HttpResponse<String> anonymous(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html,*/*;q=0.8").build());
	}

	/** A JSON request with no session (and so no CSRF token). */
	HttpResponse<String> anonymous(String method, String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody())
			.build());
	}

	HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.signedOut.send(request, HttpResponse.BodyHandlers.ofString());
	}

	URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	@TestConfiguration
	static class FakeSandbox {

		@Bean
		@Primary
		ScriptedSandbox scriptedSandbox() {
			return new ScriptedSandbox();
		}

	}

}
