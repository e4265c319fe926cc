package org.ffilab.classroom;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.run.RunAccepted;
import org.ffilab.run.RunEnded;
import org.ffilab.run.RunStatus;
import org.ffilab.run.ScriptedSandbox;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.LabStomp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's read model, live topic, grades export and roster import, through the real web layer and
 * database; runs go through the scripted sandbox, or their RunEnded event is published as the worker would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ffilab.content-dir=src/test/resources/test-content")
@ActiveProfiles("test")
class ClassDashboardIntegrationTests {

	private static final String TASK = "01-echo";

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@Autowired
	Classrooms classrooms;

	@Autowired
	ApplicationEventPublisher events;

	private LabSession teacher;

	private Classroom classroom;

	@BeforeEach
	void setUp() {
		this.teacher = LabSession.newUser(this.port, this.accounts, "teacher", Role.TEACHER);
		this.classroom = this.classrooms.create(this.teacher.user(), "Systems " + UUID.randomUUID());
	}

	@Test
	void aRunIsOnTheClassTopicWhenItStartsAndWhenItEndsAndInTheSnapshotAfterwards() throws Exception {
		LabSession student = student("ada");
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		StompSession stomp = LabStomp.connect(this.teacher);
		assertThat(LabStomp.subscribe(stomp, "/topic/classes/" + this.classroom.id(), messages)).isTrue();

		String runId = student.submit(TASK, "python", Map.of("main.py", "print('hello')"));

		await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().anyMatch((m) -> m.has("cell")));
		stomp.disconnect();
		List<JsonNode> ofRun = messages.stream().filter((m) -> m.path("run").path("run").asString().equals(runId)).toList();
		assertThat(ofRun).hasSize(2);
		JsonNode started = ofRun.get(0);
		assertThat(started.path("type").asString()).isEqualTo("run");
		assertThat(started.path("run").path("outcome").isNull()).as("running").isTrue();
		assertThat(started.path("student").path("name").asString()).isEqualTo(student.user().displayName());
		JsonNode ended = ofRun.get(1);
		assertThat(ended.path("run").path("outcome").asString()).isEqualTo("pass");
		assertThat(ended.path("cell").path("best").asString()).isEqualTo("pass");
		assertThat(ended.path("cell").path("attempts").asInt()).isEqualTo(1);
		assertThat(ended.path("cell").path("lastRunId").asString()).isEqualTo(runId);
		assertThat(ended.path("cell").path("firstPassedAt").isString()).isTrue();

		JsonNode board = this.teacher.getJson("/api/classes/" + this.classroom.id() + "/dashboard");
		assertThat(board.path("className").asString()).isEqualTo(this.classroom.name());
		assertThat(board.path("tasks").get(0).path("id").asString()).isEqualTo(TASK);
		assertThat(board.path("students").get(0).path("username").asString()).isEqualTo(student.user().username());
		assertThat(board.path("cells")).hasSize(1);
		assertThat(board.path("cells").get(0).path("best").asString()).isEqualTo("pass");
		assertThat(board.path("feed").get(0).path("run").asString()).isEqualTo(runId);
		assertThat(board.path("feed").get(0).path("outcome").asString()).isEqualTo("pass");
	}

	@Test
	void findingsAreCountedPerStudentAndMetricsComeFromTheLatestPassingRun() {
		LabUser ada = enrolled("ada");
		LabUser bob = enrolled("bob");
		LabUser outsider = LabSession.createUser(this.accounts, "outsider", Role.STUDENT);
		Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		ended(ada, "fail", "[{\"kind\":\"double-free\"},{\"kind\":\"leak\"}]", "[]", t);
		ended(ada, "fail", "[{\"kind\":\"double-free\"}]", "[]", t.plusSeconds(1));
		ended(bob, "fail", "[{\"kind\":\"double-free\"}]", "[]", t.plusSeconds(2));
		ended(outsider, "fail", "[{\"kind\":\"double-free\"}]", "[]", t.plusSeconds(2));
		ended(ada, "pass", "[]", "[{\"name\":\"call\",\"value\":40,\"unit\":\"ns/op\",\"lowerIsBetter\":true}]",
				t.plusSeconds(3));
		ended(ada, "pass", "[]", "[{\"name\":\"call\",\"value\":30,\"unit\":\"ns/op\",\"lowerIsBetter\":true}]",
				t.plusSeconds(4));
		ended(bob, "fail", "[]", "[{\"name\":\"call\",\"value\":999,\"unit\":\"ns/op\",\"lowerIsBetter\":true}]",
				t.plusSeconds(5));

		JsonNode board = this.teacher.getJson("/api/classes/" + this.classroom.id() + "/dashboard");

		assertThat(board.path("students")).hasSize(2);
		JsonNode adaCell = cell(board, ada);
		assertThat(adaCell.path("best").asString()).isEqualTo("pass");
		assertThat(adaCell.path("attempts").asInt()).isEqualTo(4);
		assertThat(Instant.parse(adaCell.path("firstPassedAt").asString())).isEqualTo(t.plusSeconds(3));
		assertThat(cell(board, bob).path("best").asString()).isEqualTo("fail");
		assertThat(board.path("findings").valueStream()
			.map((f) -> f.path("student").asLong() + " " + f.path("kind").asString() + " " + f.path("runs").asInt()))
			.containsExactlyInAnyOrder(ada.id() + " double-free 2", ada.id() + " leak 1", bob.id() + " double-free 1");
		assertThat(board.path("metrics")).hasSize(1);
		assertThat(board.path("metrics").get(0).path("student").asLong()).isEqualTo(ada.id());
		assertThat(board.path("metrics").get(0).path("value").asDouble()).isEqualTo(30.0);
		assertThat(board.path("feed")).hasSize(6);
	}

	@Test
	void aRunThatEndsTwiceIsCountedOnce() {
		LabUser ada = enrolled("ada");
		RunEnded once = new RunEnded(UUID.randomUUID().toString(), ada.id(), TASK, "python", RunStatus.FINISHED,
				"{\"status\":\"fail\",\"findings\":[{\"kind\":\"leak\"}]}", Instant.now());
		this.events.publishEvent(once);
		this.events.publishEvent(once);
		JsonNode board = this.teacher.getJson("/api/classes/" + this.classroom.id() + "/dashboard");
		assertThat(cell(board, ada).path("attempts").asInt()).isEqualTo(1);
		assertThat(board.path("findings").get(0).path("runs").asInt()).isEqualTo(1);
	}

	@Test
	void aRunReplacedWhileItWaitedLeavesTheFeedAndIsNoAttempt() {
		LabUser ada = enrolled("ada");
		String replaced = UUID.randomUUID().toString();
		Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.events.publishEvent(new RunAccepted(replaced, ada.id(), TASK, "python", t));
		assertThat(this.teacher.getJson("/api/classes/" + this.classroom.id() + "/dashboard").path("feed"))
			.as("shown as running while it waits")
			.hasSize(1);
		this.events.publishEvent(new RunEnded(replaced, ada.id(), TASK, "python", RunStatus.SUPERSEDED, null,
				t.plusSeconds(1)));
		JsonNode board = this.teacher.getJson("/api/classes/" + this.classroom.id() + "/dashboard");
		assertThat(board.path("feed")).isEmpty();
		assertThat(board.path("cells")).as("no attempt counted").isEmpty();
	}

	@Test
	void theGradesExportHasARowPerStudentAndNeutralisesFormulas() {
		LabUser ada = this.accounts.create("ada-" + UUID.randomUUID().toString().substring(0, 8), "=HYPERLINK(1)",
				LabSession.PASSWORD, Role.STUDENT);
		this.classrooms.addStudent(this.classroom.id(), ada.id());
		LabUser bob = enrolled("bob");
		Instant passedAt = Instant.parse("2026-05-04T10:00:00Z");
		ended(ada, "pass", "[]", "[]", passedAt);
		ended(ada, "fail", "[]", "[]", passedAt.plusSeconds(60));

		HttpResponse<String> response = this.teacher.get("/classes/" + this.classroom.id() + "/grades.csv");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
		assertThat(response.headers().firstValue("Content-Disposition").orElse("")).contains("attachment")
			.contains(".csv");
		List<String> lines = List.of(response.body().replace("\uFEFF", "").split("\r\n"));
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).isEqualTo("username,name," + TASK + "," + TASK + " at");
		assertThat(lines).contains(ada.username() + ",'=HYPERLINK(1),passed,2026-05-04T10:00:00Z",
				bob.username() + "," + bob.displayName() + ",not tried,");
	}

	@Test
	void aStudentWhoJoinsGetsARowLive() throws Exception {
		List<JsonNode> messages = new CopyOnWriteArrayList<>();
		StompSession stomp = LabStomp.connect(this.teacher);
		assertThat(LabStomp.subscribe(stomp, "/topic/classes/" + this.classroom.id(), messages)).isTrue();
		String username = "newbie-" + UUID.randomUUID().toString().substring(0, 8);

		HttpResponse<String> signUp = new LabSession(this.port).postFormOf("/signup", "/signup",
				Map.of("code", this.classroom.joinCode(), "username", username, "displayName", "New Bie",
						"password", LabSession.PASSWORD, "repeatPassword", LabSession.PASSWORD));

		assertThat(signUp.statusCode()).isEqualTo(302);
		await().atMost(Duration.ofSeconds(5)).until(() -> !messages.isEmpty());
		stomp.disconnect();
		assertThat(messages.get(0).path("type").asString()).isEqualTo("student");
		assertThat(messages.get(0).path("student").path("username").asString()).isEqualTo(username);
		assertThat(messages.get(0).path("student").path("name").asString()).isEqualTo("New Bie");
	}

	@Test
	void theAttemptPageShowsTheCodeToTheTeacher() {
		LabSession student = student("ada");
		String runId = student.submit(TASK, "python", Map.of("main.py", "print('</script><b>hi</b>')"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> student.getJson("/api/runs/" + runId).path("status").asString().equals("FINISHED"));

		HttpResponse<String> page = this.teacher.get("/runs/" + runId);

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"attempt-page\"")
			.contains(student.user().displayName())
			.contains("\\u003c/script\\u003e\\u003cb\\u003ehi")
			.doesNotContain("<b>hi</b>");
	}

	private LabSession student(String prefix) {
		LabSession student = LabSession.newUser(this.port, this.accounts, prefix, Role.STUDENT);
		this.classrooms.addStudent(this.classroom.id(), student.user().id());
		return student;
	}

	private LabUser enrolled(String prefix) {
		LabUser user = LabSession.createUser(this.accounts, prefix, Role.STUDENT);
		this.classrooms.addStudent(this.classroom.id(), user.id());
		return user;
	}

	private void ended(LabUser student, String status, String findings, String metrics, Instant at) {
		this.events.publishEvent(new RunEnded(UUID.randomUUID().toString(), student.id(), TASK, "python",
				RunStatus.FINISHED, "{\"status\":\"" + status + "\",\"findings\":" + findings + ",\"metrics\":"
						+ metrics + "}", at));
	}

	private static JsonNode cell(JsonNode board, LabUser student) {
		return board.path("cells")
			.valueStream()
			.filter((c) -> c.path("student").asLong() == student.id())
			.findFirst()
			.orElseThrow();
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
