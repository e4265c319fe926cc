package org.ffilab.run;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.LabStomp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ffilab.content-dir=src/test/resources/test-content")
@ActiveProfiles("test")
class RunApiIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	ScriptedSandbox sandbox;

	@Autowired
	Accounts accounts;

	private LabSession student;

	@BeforeEach
	void signIn() {
		this.student = LabSession.newUser(this.port, this.accounts, "student", Role.STUDENT);
	}

	@AfterEach
	void reset() {
		this.sandbox.engineDown = false;
		this.sandbox.engineLostMidRun = false;
		this.sandbox.labBug = false;
		this.sandbox.gate = new CountDownLatch(0);
		this.sandbox.requests.clear();
	}

	@Test
	void runStreamsOutputOverStompAndEndsWithAVerdict() throws Exception {
		this.sandbox.gate = new CountDownLatch(1);
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		String id = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"print('hi')"}}""").path("id").asString();
		StompSession session = subscribe(id, messages);
		this.sandbox.gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messages.stream().anyMatch((m) -> m.path("type").asString().equals("verdict")));
		session.disconnect();
		String streamed = messages.stream()
			.filter((m) -> m.path("type").asString().equals("output"))
			.map((m) -> m.path("text").asString())
			.reduce("", String::concat);
		assertThat(streamed).contains("hello from the sandbox");
		JsonNode verdict = messages.get(messages.size() - 1);
		assertThat(verdict.path("status").asString()).isEqualTo("FINISHED");
		assertThat(verdict.path("verdict").path("status").asString()).isEqualTo("pass");
		JsonNode run = get("/api/runs/" + id);
		assertThat(run.path("status").asString()).isEqualTo("FINISHED");
		assertThat(run.path("output").asString()).isEqualTo("$ python3 main.py\nhello from the sandbox\n");
		assertThat(run.path("files").path("main.py").asString()).isEqualTo("print('hi')");
		assertThat(run.path("files").path("helper.py").asString()).as("left-out files keep the starter")
			.isEqualTo("# helper\n");
		assertThat(run.path("verdict").path("tests").get(0).path("name").asString()).isEqualTo("prints hello");
	}

	@Test
	void reloadDuringARunSeesTheOutputSoFar() throws Exception {
		this.sandbox.gate = new CountDownLatch(1);
		String id = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"x"}}""").path("id").asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + id).path("output").asString().contains("$ python3 main.py"));
		assertThat(get("/api/runs/" + id).path("status").asString()).isEqualTo("RUNNING");
		this.sandbox.gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + id).path("status").asString().equals("FINISHED"));
	}

	@Test
	void engineDownEndsAsInfrastructureErrorAndKeepsTheSubmission() throws Exception {
		this.sandbox.engineDown = true;
		String id = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"kept"}}""").path("id").asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + id).path("status").asString().equals("ERROR"));
		JsonNode run = get("/api/runs/" + id);
		assertThat(run.path("error").asString()).contains("not reachable").endsWith("Your code is saved; press Retry.");
		assertThat(run.path("errorKind").asString()).isEqualTo("INFRASTRUCTURE");
		assertThat(run.path("retryable").asBoolean()).isTrue();
		assertThat(run.path("verdict").path("reason").asString()).isEqualTo("INFRASTRUCTURE");
		assertThat(run.path("files").path("main.py").asString()).isEqualTo("kept");
	}

	@Test
	void engineLostMidRunIsARetryableErrorAndTheRetryRunsTheStoredFiles() throws Exception {
		this.sandbox.engineLostMidRun = true;
		this.sandbox.gate = new CountDownLatch(1);
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		String id = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"print('slow')","helper.py":"# mine"}}""")
			.path("id")
			.asString();
		StompSession session = subscribe(id, messages);
		this.sandbox.gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> messages.stream().anyMatch((m) -> m.path("type").asString().equals("verdict")));
		session.disconnect();
		JsonNode ended = messages.get(messages.size() - 1);
		assertThat(ended.path("status").asString()).isEqualTo("ERROR");
		assertThat(ended.path("errorKind").asString()).isEqualTo("INFRASTRUCTURE");
		assertThat(ended.path("retryable").asBoolean()).isTrue();
		assertThat(ended.path("error").asString()).isEqualTo(
				"The lab lost its connection to the sandbox engine while your run was running. Your code is saved; press Retry.");

		JsonNode failed = get("/api/runs/" + id);
		assertThat(failed.path("status").asString()).isEqualTo("ERROR");
		assertThat(failed.path("error").asString()).isEqualTo(ended.path("error").asString());
		assertThat(failed.path("verdict").path("message").asString()).isEqualTo(ended.path("error").asString());
		assertThat(failed.path("output").asString()).as("the output so far is kept").isEqualTo("$ python3 main.py\n");
		assertThat(failed.path("retryable").asBoolean()).isTrue();

		this.sandbox.engineLostMidRun = false;
		HttpResponse<String> retried = post("/api/runs/" + id + "/retry", "");
		assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
		String retryId = JSON.readTree(retried.body()).path("id").asString();
		assertThat(retryId).isNotEqualTo(id);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + retryId).path("status").asString().equals("FINISHED"));
		JsonNode retry = get("/api/runs/" + retryId);
		assertThat(retry.path("verdict").path("status").asString()).isEqualTo("pass");
		assertThat(retry.path("retryOf").asString()).isEqualTo(id);
		assertThat(retry.path("files")).isEqualTo(failed.path("files"));
		assertThat(retry.path("retryable").asBoolean()).isFalse();
		HttpResponse<String> again = post("/api/runs/" + id + "/retry", "");
		assertThat(JSON.readTree(again.body()).path("id").asString()).as("one retry per run").isEqualTo(retryId);
		assertThat(this.sandbox.requests).hasSize(2);
	}

	@Test
	void onlyInfrastructureErrorsCanBeRetried() throws Exception {
		String finished = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"x"}}""").path("id").asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + finished).path("status").asString().equals("FINISHED"));
		assertThat(get("/api/runs/" + finished).path("retryable").asBoolean()).isFalse();
		assertRetryRefused(finished, 409, "Only a run the lab could not carry out can be retried");

		this.sandbox.labBug = true;
		String bug = submit("""
				{"task":"01-echo","track":"python","files":{"main.py":"x"}}""").path("id").asString();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/api/runs/" + bug).path("status").asString().equals("ERROR"));
		JsonNode run = get("/api/runs/" + bug);
		assertThat(run.path("errorKind").asString()).isEqualTo("INTERNAL");
		assertThat(run.path("retryable").asBoolean()).isFalse();
		assertThat(run.path("error").asString()).contains("not in your code").contains("press Run");
		assertRetryRefused(bug, 409, "cannot be retried");

		assertRetryRefused("does-not-exist", 404, "no run");
		assertThat(this.sandbox.requests).hasSize(2);
	}

	private void assertRetryRefused(String id, int status, String message) throws Exception {
		HttpResponse<String> response = post("/api/runs/" + id + "/retry", "");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(JSON.readTree(response.body()).path("error").asString()).containsIgnoringCase(message);
	}

	@Test
	void badSubmissionsAreRefusedAndNothingRuns() throws Exception {
		assertRefused("", 400, "empty");
		assertRefused("{not json", 400, "must be JSON");
		assertRefused("{\"task\":\"99-nope\",\"track\":\"python\",\"files\":{\"main.py\":\"x\"}}", 404, "no task");
		assertRefused("{\"task\":\"01-echo\",\"track\":\"cobol\",\"files\":{\"main.py\":\"x\"}}", 404, "no track");
		assertRefused("{\"task\":\"01-echo\",\"track\":\"python\",\"files\":{}}", 400, "no files");
		assertRefused("{\"task\":\"01-echo\",\"track\":\"python\",\"files\":{\"other.py\":\"x\"}}", 400,
				"not an editable file");
		assertRefused("{\"task\":\"01-echo\",\"track\":\"python\",\"files\":{\"../main.py\":\"x\"}}", 400,
				"plain file name");
		String big = "x".repeat(257 * 1024);
		assertRefused("{\"task\":\"01-echo\",\"track\":\"python\",\"files\":{\"main.py\":\"" + big + "\"}}", 413,
				"limit is 256 KiB");
		assertThat(this.sandbox.requests).isEmpty();
	}

	@Test
	void unknownRunIs404() throws Exception {
		assertThat(this.student.get("/api/runs/does-not-exist").statusCode()).isEqualTo(404);
	}

	private void assertRefused(String body, int status, String message) throws Exception {
		HttpResponse<String> response = post(body);
		assertThat(response.statusCode()).as(body.substring(0, Math.min(80, body.length()))).isEqualTo(status);
		assertThat(JSON.readTree(response.body()).path("error").asString()).containsIgnoringCase(message);
	}

	private JsonNode submit(String body) throws Exception {
		HttpResponse<String> response = post(body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> post(String body) throws Exception {
		return post("/api/runs", body);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.student.postJson(path, body);
	}

	private JsonNode get(String path) throws Exception {
		return JSON.readTree(this.student.get(path).body());
	}

	private StompSession subscribe(String runId, List<JsonNode> messages) throws Exception {
		StompSession session = LabStomp.connect(this.student);
		assertThat(LabStomp.subscribe(session, "/topic/runs/" + runId, messages)).as("subscribed").isTrue();
		return session;
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
