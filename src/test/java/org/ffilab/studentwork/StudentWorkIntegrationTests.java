package org.ffilab.studentwork;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.run.ScriptedSandbox;
import org.ffilab.testsupport.LabSession;
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
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A student's history, drafts and self-checks through the API and the pages, with a scripted sandbox. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ffilab.content-dir=src/test/resources/test-content")
@ActiveProfiles("test")
class StudentWorkIntegrationTests {

	private static final String DRAFT = "/api/drafts/01-echo/python";

	private static final String SELF_CHECK = "/api/self-checks/01-echo";

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@Autowired
	ScriptedSandbox sandbox;

	private LabSession student;

	@BeforeEach
	void signIn() {
		this.student = LabSession.newUser(this.port, this.accounts, "student", Role.STUDENT);
	}

	@AfterEach
	void engineUp() {
		this.sandbox.engineDown = false;
	}

	@Test
	void theHistoryListsTheStudentsAttemptsNewestFirstWithoutTheirCodeOrOutput() {
		String first = runToTheEnd("print(1)");
		String second = runToTheEnd("print(2)");

		JsonNode history = this.student.getJson("/api/runs?task=01-echo&track=python");
		assertThat(ids(history)).containsExactly(second, first);
		JsonNode newest = history.get(0);
		assertThat(newest.path("status").asString()).isEqualTo("FINISHED");
		assertThat(newest.path("outcome").asString()).isEqualTo("pass");
		assertThat(newest.path("tests").asInt()).isEqualTo(1);
		assertThat(newest.path("passedTests").asInt()).isEqualTo(1);
		assertThat(newest.path("findings").asInt()).isZero();
		assertThat(newest.path("task").asString()).isEqualTo("01-echo");
		assertThat(newest.path("track").asString()).isEqualTo("python");
		assertThat(Instant.parse(newest.path("createdAt").asString()))
			.isAfterOrEqualTo(Instant.parse(history.get(1).path("createdAt").asString()));
		assertThat(newest.has("files")).as("no big bodies").isFalse();
		assertThat(newest.has("output")).isFalse();
		assertThat(newest.has("verdict")).isFalse();

		assertThat(ids(this.student.getJson("/api/runs?task=01-echo"))).as("every track").containsExactly(second, first);
		assertThat(this.student.getJson("/api/runs?task=01-echo&track=rust")).as("another track").isEmpty();
		assertThat(this.student.getJson("/api/runs?task=02-nothing")).isEmpty();
		HttpResponse<String> noTask = this.student.get("/api/runs");
		assertThat(noTask.statusCode()).isEqualTo(400);
		assertThat(noTask.body()).contains("\"error\"");
	}

	@Test
	void aFailedRunMarksTheTaskAttemptedAndALaterPassMarksItPassed() {
		assertThat(card()).doesNotContain("task-attempted").doesNotContain("task-done");

		this.sandbox.engineDown = true;
		String broken = this.student.submit("01-echo", "python", Map.of("main.py", "print(1)"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.student.getJson("/api/runs/" + broken).path("status").asString().equals("ERROR"));
		JsonNode history = this.student.getJson("/api/runs?task=01-echo&track=python");
		assertThat(history.get(0).path("outcome").asString()).isEqualTo("error");
		assertThat(history.get(0).path("headline").asString()).isNotBlank();
		assertThat(card()).contains("task-attempted").contains("not passed yet").doesNotContain(">passed<");

		this.sandbox.engineDown = false;
		runToTheEnd("print(2)");
		assertThat(card()).contains("task-done").contains(">passed<").doesNotContain("not passed yet");
	}

	@Test
	void aDraftRoundTripsAndIsHeldToTheRulesOfASubmission() {
		assertThat(this.student.get(DRAFT).statusCode()).as("no draft yet").isEqualTo(204);

		HttpResponse<String> saved = this.student.putJson(DRAFT, """
				{"files":{"main.py":"print('draft é')\\n"}}""");
		assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
		Instant savedAt = Instant.parse(json(saved).path("savedAt").asString());

		JsonNode draft = this.student.getJson(DRAFT);
		assertThat(draft.path("files").path("main.py").asString()).isEqualTo("print('draft é')\n");
		assertThat(draft.path("files").has("helper.py")).as("editable files left out keep their starter text").isTrue();
		assertThat(Instant.parse(draft.path("savedAt").asString())).isEqualTo(savedAt);

		assertThat(this.student.putJson(DRAFT, "{\"files\":{\"main.py\":\"second\"}}").statusCode()).isEqualTo(200);
		assertThat(this.student.getJson(DRAFT).path("files").path("main.py").asString()).isEqualTo("second");

		assertThat(this.student.putJson(DRAFT, "{\"files\":{\"check.py\":\"x\"}}").statusCode())
			.as("not an editable file").isEqualTo(400);
		assertThat(this.student.putJson(DRAFT, "{\"files\":{\"../main.py\":\"x\"}}").statusCode()).isEqualTo(400);
		assertThat(this.student.putJson(DRAFT, "{\"files\":{}}").statusCode()).isEqualTo(400);
		assertThat(this.student.putJson(DRAFT, "{}").statusCode()).isEqualTo(400);
		assertThat(this.student.putJson(DRAFT, "not json").statusCode()).isEqualTo(400);
		HttpResponse<String> tooBig = this.student.putJson(DRAFT,
				"{\"files\":{\"main.py\":\"" + "x".repeat(257 * 1024) + "\"}}");
		assertThat(tooBig.statusCode()).isEqualTo(413);
		assertThat(tooBig.body()).contains("256 KiB");
		assertThat(this.student.putJson("/api/drafts/02-nothing/python", "{\"files\":{\"main.py\":\"x\"}}").statusCode())
			.isEqualTo(404);
		assertThat(this.student.get("/api/drafts/01-echo/cobol").statusCode()).isEqualTo(404);
		assertThat(this.student.getJson(DRAFT).path("files").path("main.py").asString())
			.as("a refused save changes nothing").isEqualTo("second");

		// A reset stores the starter files: a browser holding the old draft sees the reset as newer.
		assertThat(this.student.putJson(DRAFT, "{\"files\":{\"main.py\":\"print('starter')\\n\"}}").statusCode())
			.isEqualTo(200);
		assertThat(this.student.getJson(DRAFT).path("files").path("main.py").asString()).isEqualTo("print('starter')\n");

	}

	@Test
	void selfCheckTicksAreKeptAndShownOnTheTaskPageAndTheTaskList() {
		JsonNode state = this.student.getJson(SELF_CHECK);
		assertThat(state.path("items").asInt()).isEqualTo(1);
		assertThat(state.path("ticked")).isEmpty();
		assertThat(card()).contains("0/1 self-checks");
		assertThat(this.student.get("/tasks/01-echo").body()).doesNotContain("checked=\"checked\"");

		HttpResponse<String> ticked = this.student.postJson(SELF_CHECK, "{\"item\":0,\"ticked\":true}");
		assertThat(ticked.statusCode()).as(ticked.body()).isEqualTo(200);
		assertThat(json(ticked).path("ticked").get(0).asInt()).isZero();
		assertThat(this.student.postJson(SELF_CHECK, "{\"item\":0,\"ticked\":true}").statusCode())
			.as("ticking twice is fine").isEqualTo(200);
		assertThat(this.student.getJson(SELF_CHECK).path("ticked")).hasSize(1);
		assertThat(this.student.get("/tasks/01-echo").body()).contains("data-self-check=\"0\" checked=\"checked\"");
		assertThat(card()).contains("1/1 self-checks").doesNotContain("task-done");

		assertThat(this.student.postJson(SELF_CHECK, "{\"item\":1,\"ticked\":true}").statusCode())
			.as("the task has one item").isEqualTo(400);
		assertThat(this.student.postJson(SELF_CHECK, "{\"item\":-1,\"ticked\":true}").statusCode()).isEqualTo(400);
		assertThat(this.student.postJson(SELF_CHECK, "{\"ticked\":true}").statusCode()).isEqualTo(400);
		assertThat(this.student.postJson("/api/self-checks/02-nothing", "{\"item\":0,\"ticked\":true}").statusCode())
			.isEqualTo(404);

		assertThat(json(this.student.postJson(SELF_CHECK, "{\"item\":0,\"ticked\":false}")).path("ticked")).isEmpty();
		assertThat(card()).contains("0/1 self-checks");
	}

	private String runToTheEnd(String code) {
		String id = this.student.submit("01-echo", "python", Map.of("main.py", code));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.student.getJson("/api/runs/" + id).path("status").asString().equals("FINISHED"));
		return id;
	}

	/** The task list's card of task 01-echo. */
	private String card() {
		String page = this.student.get("/").body();
		int start = page.lastIndexOf("<li", page.indexOf("data-task=\"01-echo\""));
		return page.substring(start, page.indexOf("</li>", start));
	}

	private static List<String> ids(JsonNode history) {
		List<String> ids = new ArrayList<>();
		history.forEach((run) -> ids.add(run.path("id").asString()));
		return ids;
	}

	private static JsonNode json(HttpResponse<String> response) {
		return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
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
