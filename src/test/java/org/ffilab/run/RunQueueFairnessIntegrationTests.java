package org.ffilab.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.LabStomp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The queue's fairness through the real API, with one worker and the scripted sandbox: every run waits at the
 * sandbox's gate until the test opens it, so the order the runs reach the sandbox is the order the queue chose.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.content-dir=src/test/resources/queue-test-content", "ffilab.runs.concurrency=1" })
@ActiveProfiles("test")
class RunQueueFairnessIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	ScriptedSandbox sandbox;

	@Autowired
	Accounts accounts;

	@Autowired
	RunRepository runs;

	@Autowired
	RunRecovery recovery;

	@Autowired
	EndedRuns ended;

	private LabSession alice;

	private LabSession bob;

	@BeforeEach
	void signIn() {
		this.alice = LabSession.newUser(this.port, this.accounts, "alice", Role.STUDENT);
		this.bob = LabSession.newUser(this.port, this.accounts, "bob", Role.STUDENT);
		this.sandbox.gate = new CountDownLatch(1);
	}

	@AfterEach
	void everyRunEnds() {
		this.sandbox.gate.countDown();
		await().atMost(WAIT)
			.until(() -> this.runs.idsWithStatus(RunStatus.QUEUED).isEmpty()
					&& this.runs.idsWithStatus(RunStatus.RUNNING).isEmpty());
		this.sandbox.requests.clear();
	}

	@Test
	void threeQuickSubmissionsOfTheSameWorkRunOnlyTheLast() throws Exception {
		String bobs = this.bob.submit("01-echo", "python", files("bob"));
		await().atMost(WAIT).until(() -> started().contains(bobs));
		String first = this.alice.submit("01-echo", "python", files("first"));
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		StompSession stomp = LabStomp.connect(this.alice);
		assertThat(LabStomp.subscribe(stomp, "/topic/runs/" + first, messages)).as("subscribed").isTrue();
		String second = this.alice.submit("01-echo", "python", files("second"));
		String last = this.alice.submit("01-echo", "python", files("last"));

		// The replaced run's watchers hear that it ended, and why.
		await().atMost(WAIT).until(() -> !messages.isEmpty());
		stomp.disconnect();
		JsonNode ended = messages.get(messages.size() - 1);
		assertThat(ended.path("type").asString()).isEqualTo("verdict");
		assertThat(ended.path("status").asString()).isEqualTo("SUPERSEDED");
		assertThat(ended.path("error").asString()).isEqualTo("Replaced by your newer submission");
		for (String replaced : List.of(first, second)) {
			JsonNode run = this.alice.getJson("/api/runs/" + replaced);
			assertThat(run.path("status").asString()).as(replaced).isEqualTo("SUPERSEDED");
			assertThat(run.path("error").asString()).isEqualTo("Replaced by your newer submission");
			assertThat(run.path("finishedAt").isNull()).as("ended at a time").isFalse();
		}
		assertThat(this.alice.getJson("/api/runs/" + last).path("status").asString()).isEqualTo("QUEUED");
		// Whoever watches the class hears of its end too (they heard of its acceptance).
		assertThat(this.ended.statusOf(first)).isEqualTo(RunStatus.SUPERSEDED);
		assertThat(this.ended.statusOf(second)).isEqualTo(RunStatus.SUPERSEDED);

		this.sandbox.gate.countDown();
		await().atMost(WAIT).until(() -> "FINISHED".equals(status(this.alice, last)));
		assertThat(started()).containsExactly(bobs, last);
		assertThat(this.alice.getJson("/api/runs/" + last).path("files").path("main.py").asString())
			.isEqualTo("last");
		assertThat(status(this.alice, first)).as("a replaced run stays replaced").isEqualTo("SUPERSEDED");
	}

	@Test
	void aSubmissionOfAnotherTaskDoesNotReplaceTheWaitingOne() {
		String bobs = this.bob.submit("01-echo", "python", files("bob"));
		await().atMost(WAIT).until(() -> started().contains(bobs));
		String echo = this.alice.submit("01-echo", "python", files("one"));
		String again = this.alice.submit("02-echo-again", "python", files("two"));
		this.sandbox.gate.countDown();
		await().atMost(WAIT).until(() -> "FINISHED".equals(status(this.alice, again)));
		assertThat(started()).containsExactly(bobs, echo, again);
	}

	@Test
	void withOneWorkerAStudentsSecondRunWaitsForAnotherStudentsFirst() {
		String a1 = this.alice.submit("01-echo", "python", files("a1"));
		await().atMost(WAIT).until(() -> started().contains(a1));
		String a2 = this.alice.submit("02-echo-again", "python", files("a2"));
		String b1 = this.bob.submit("01-echo", "python", files("b1"));
		this.sandbox.gate.countDown();
		await().atMost(WAIT).until(() -> "FINISHED".equals(status(this.alice, a2)));
		// A global FIFO would run a2 before b1.
		assertThat(started()).containsExactly(a1, b1, a2);
	}

	@Test
	void runsWaitingAtARestartAreQueuedAgainFairlyAndOnlyTheNewestOfTheSameWorkRuns() {
		LabUser carol = this.accounts.create("carol-" + System.nanoTime(), "Carol", LabSession.PASSWORD,
				Role.STUDENT);
		// Carol's run holds the only worker, as if it had been the first picked up after the restart.
		LabSession carolSession = new LabSession(this.port).signIn(carol);
		String c0 = carolSession.submit("01-echo", "python", files("c0"));
		await().atMost(WAIT).until(() -> started().contains(c0));
		// What a stopped server left in the queue, oldest first: Alice's three (the first and third of the same
		// work), then Bob's one.
		Instant before = Instant.now().minusSeconds(60);
		String a1 = storeQueued(this.alice.user(), "01-echo", before);
		String a2 = storeQueued(this.alice.user(), "02-echo-again", before.plusSeconds(1));
		String a3 = storeQueued(this.alice.user(), "01-echo", before.plusSeconds(2));
		String b1 = storeQueued(this.bob.user(), "01-echo", before.plusSeconds(3));

		this.recovery.queueWaitingRunsAgain();

		assertThat(status(this.alice, a1)).isEqualTo("SUPERSEDED");
		this.sandbox.gate.countDown();
		await().atMost(WAIT).until(() -> "FINISHED".equals(status(this.alice, a3)));
		// Oldest first would be a2, a3, b1; Bob's only run goes before Alice's second.
		assertThat(started()).containsExactly(c0, a2, b1, a3);
		assertThat(started()).doesNotContain(a1);
	}

	private String storeQueued(LabUser user, String task, Instant createdAt) {
		String id = java.util.UUID.randomUUID().toString();
		this.runs.insert(Run.queued(id, task, "python", files(id), createdAt, user.id(), null));
		return id;
	}

	/** The runs that reached the sandbox, in the order they did. */
	private List<String> started() {
		return this.sandbox.requests.stream().map(SandboxRequest::runId).toList();
	}

	private static String status(LabSession session, String runId) {
		return session.getJson("/api/runs/" + runId).path("status").asString();
	}

	private static Map<String, String> files(String text) {
		return Map.of("main.py", text);
	}

	@TestConfiguration
	static class FakeSandbox {

		@Bean
		@Primary
		ScriptedSandbox scriptedSandbox() {
			return new ScriptedSandbox();
		}

		@Bean
		EndedRuns endedRuns() {
			return new EndedRuns();
		}

	}

	/** Every RunEnded the app published. */
	static class EndedRuns {

		private final Map<String, RunStatus> statuses = new ConcurrentHashMap<>();

		@EventListener
		void ended(RunEnded event) {
			this.statuses.put(event.runId(), event.status());
		}

		RunStatus statusOf(String runId) {
			return this.statuses.get(runId);
		}

	}

}
