package org.ffilab.run;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The per-student rate limit and the full queue, through the real API. The bucket refills once an hour here, so
 * nothing in these tests depends on time passing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.content-dir=src/test/resources/queue-test-content", "ffilab.runs.concurrency=1",
				"ffilab.runs.queue-capacity=1", "ffilab.runs.rate-limit.burst=2", "ffilab.runs.rate-limit.refill=1h" })
@ActiveProfiles("test")
class RunRateLimitIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String RUN = """
			{"task":"01-echo","track":"python","files":{"main.py":"print(1)"}}""";

	@LocalServerPort
	int port;

	@Autowired
	ScriptedSandbox sandbox;

	@Autowired
	Accounts accounts;

	@Autowired
	RunRepository runs;

	@AfterEach
	void everyRunEnds() {
		this.sandbox.gate.countDown();
		awaitIdle();
	}

	@Test
	void aStudentGetsTheBurstThen429WithRetryAfterAndAMessageToShow() {
		LabSession student = student("eager");
		submitAndWait(student);
		submitAndWait(student);
		HttpResponse<String> refused = student.postJson("/api/runs", RUN);
		assertThat(refused.statusCode()).isEqualTo(429);
		long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(3500L, 3600L);
		assertThat(error(refused)).startsWith("Too many runs in a short time: try again in " + retryAfter + " s.")
			.contains("2 runs in a row, then one every 3600 s");
		assertThat(student.postJson("/api/runs", RUN).statusCode()).as("still refused").isEqualTo(429);
		// Another student has a bucket of their own.
		submitAndWait(student("calm"));
	}

	@Test
	void teachersAndAdminsAreNotLimited() {
		for (Role role : new Role[] { Role.TEACHER, Role.ADMIN }) {
			LabSession session = LabSession.newUser(this.port, this.accounts, role.name().toLowerCase(), role);
			for (int i = 0; i < 4; i++) {
				submitAndWait(session);
			}
		}
	}

	@Test
	void aFullQueueIs429AndDoesNotCountAgainstTheStudentsLimit() {
		this.sandbox.gate = new CountDownLatch(1);
		LabSession first = student("first");
		LabSession second = student("second");
		LabSession late = student("late");
		first.submit("01-echo", "python", Map.of("main.py", "1"));
		second.submit("01-echo", "python", Map.of("main.py", "2"));
		// One run in the sandbox, one waiting: both places taken.
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> refused = late.postJson("/api/runs", RUN);
			assertThat(refused.statusCode()).isEqualTo(429);
			assertThat(error(refused)).contains("every place in the queue is taken");
			assertThat(refused.headers().firstValue("Retry-After")).isEmpty();
		}
		this.sandbox.gate.countDown();
		awaitIdle();
		// The three refusals cost nothing: the burst of two is whole.
		submitAndWait(late);
		submitAndWait(late);
		assertThat(late.postJson("/api/runs", RUN).statusCode()).isEqualTo(429);
	}

	private LabSession student(String prefix) {
		return LabSession.newUser(this.port, this.accounts, prefix, Role.STUDENT);
	}

	private void submitAndWait(LabSession session) {
		HttpResponse<String> response = session.postJson("/api/runs", RUN);
		assertThat(response.statusCode()).as("%s: %s", session.user().role(), response.body()).isEqualTo(202);
		String id = JSON.readTree(response.body()).path("id").asString();
		await().atMost(WAIT)
			.until(() -> session.getJson("/api/runs/" + id).path("status").asString().equals("FINISHED"));
	}

	private void awaitIdle() {
		await().atMost(WAIT)
			.until(() -> this.runs.idsWithStatus(RunStatus.QUEUED).isEmpty()
					&& this.runs.idsWithStatus(RunStatus.RUNNING).isEmpty());
	}

	private static String error(HttpResponse<String> response) {
		return JSON.readTree(response.body()).path("error").asString();
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
