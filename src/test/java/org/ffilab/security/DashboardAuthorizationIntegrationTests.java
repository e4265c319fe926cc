package org.ffilab.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ffilab.testsupport.LabStomp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.simp.stomp.StompSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's ways in (its data, the grades export, the attempt page, the class topic, the roster import and
 * the co-teacher form), each tried by everyone who must not get through: signed out, the class's own student,
 * another student, a teacher of another class; and by those who must.
 */
class DashboardAuthorizationIntegrationTests extends DoorTests {

	@Test
	void theDashboardDataIsForTheClassesTeachersAndAdminsAndLooksMissingToEveryoneElse() throws Exception {
		String api = "/api/classes/" + this.people.classroom().id() + "/dashboard";
		assertThat(this.people.teacher().get(api).statusCode()).isEqualTo(200);
		assertThat(this.people.admin().get(api).statusCode()).isEqualTo(200);
		assertThat(this.people.otherTeacher().get(api).statusCode()).as("teacher of another class").isEqualTo(404);
		assertThat(this.people.alice().get(api).statusCode()).as("a student of the class").isEqualTo(404);
		assertThat(this.people.bob().get(api).statusCode()).as("another student").isEqualTo(404);
		assertThat(this.people.teacher().get("/api/classes/999999/dashboard").statusCode()).as("no such class").isEqualTo(404);
		assertThat(anonymous(api).statusCode()).as("signed out").isEqualTo(401);
		assertThat(this.people.otherTeacher().get(api).body()).doesNotContain(this.people.alice().user().username());
	}

	@Test
	void theGradesExportIsForTheClassesTeachersAndAdmins() throws Exception {
		String csv = "/classes/" + this.people.classroom().id() + "/grades.csv";
		assertThat(this.people.teacher().get(csv).statusCode()).isEqualTo(200);
		assertThat(this.people.admin().get(csv).statusCode()).isEqualTo(200);
		HttpResponse<String> other = this.people.otherTeacher().get(csv);
		assertThat(other.statusCode()).as("teacher of another class").isEqualTo(404);
		assertThat(other.body()).doesNotContain(this.people.alice().user().username());
		assertThat(this.people.alice().get(csv).statusCode()).as("a student of the class").isEqualTo(404);
		assertThat(this.people.bob().get(csv).statusCode()).as("another student").isEqualTo(404);
		assertThat(this.people.teacher().get("/classes/999999/grades.csv").statusCode()).isEqualTo(404);
		HttpResponse<String> signedOut = anonymous(csv);
		assertThat(signedOut.statusCode()).as("signed out").isEqualTo(302);
		assertThat(signedOut.headers().firstValue("Location").orElse("")).endsWith("/login");
	}

	@Test
	void anAttemptIsForItsStudentTheirTeacherAndAdmins() throws Exception {
		String page = "/runs/" + this.aliceRun;
		assertThat(this.people.alice().get(page).statusCode()).as("the student").isEqualTo(200);
		assertThat(this.people.teacher().get(page).statusCode()).as("their teacher").isEqualTo(200);
		assertThat(this.people.admin().get(page).statusCode()).as("an admin").isEqualTo(200);
		HttpResponse<String> bobs = this.people.bob().get(page);
		assertThat(bobs.statusCode()).as("another student").isEqualTo(404);
		assertThat(bobs.body()).doesNotContain("mine");
		assertThat(this.people.otherTeacher().get(page).statusCode()).as("teacher of another class").isEqualTo(404);
		assertThat(this.people.bob().get("/runs/" + UUID.randomUUID()).statusCode()).as("a guessed id").isEqualTo(404);
		HttpResponse<String> signedOut = anonymous(page);
		assertThat(signedOut.statusCode()).as("signed out").isEqualTo(302);
		assertThat(signedOut.headers().firstValue("Location").orElse("")).endsWith("/login");
	}

	@Test
	void theClassTopicCarriesTheClassesRunsOnlyToItsTeachersAndAdmins() throws Exception {
		String topic = "/topic/classes/" + this.people.classroom().id();
		List<JsonNode> teachers = new CopyOnWriteArrayList<>();
		List<JsonNode> admins = new CopyOnWriteArrayList<>();
		List<JsonNode> others = new CopyOnWriteArrayList<>();
		StompSession teacherStomp = LabStomp.connect(this.people.teacher());
		assertThat(LabStomp.subscribe(teacherStomp, topic, teachers)).isTrue();
		StompSession adminStomp = LabStomp.connect(this.people.admin());
		assertThat(LabStomp.subscribe(adminStomp, topic, admins)).isTrue();
		StompSession otherStomp = LabStomp.connect(this.people.otherTeacher());
		assertThat(LabStomp.subscribe(otherStomp, "/topic/classes/" + this.classrooms.taughtBy(this.people.otherTeacher().user())
			.get(0)
			.id(), others)).as("their own class").isTrue();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.otherTeacher()), topic, others)).as("another class")
			.isFalse();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.alice()), topic, others)).as("a student of the class")
			.isFalse();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.bob()), topic, others)).as("another student").isFalse();
		assertThat(LabStomp.subscribe(LabStomp.connect(this.people.teacher()), "/topic/classes/*", others)).as("a pattern")
			.isFalse();

		String run = this.people.alice().submit("01-echo", "python", Map.of("main.py", "print('again')"));

		await().atMost(Duration.ofSeconds(10))
			.until(() -> teachers.stream().anyMatch((m) -> m.path("run").path("run").asString().equals(run)
					&& m.has("cell")));
		await().atMost(Duration.ofSeconds(5))
			.until(() -> admins.stream().anyMatch((m) -> m.path("run").path("run").asString().equals(run)));
		assertThat(others).as("the other class's teacher hears nothing of Alice").isEmpty();
		teacherStomp.disconnect();
		adminStomp.disconnect();
		otherStomp.disconnect();
	}

	@Test
	void onlyAdminsImportRostersAndNeverWithoutTheCsrfToken() throws Exception {
		String row = "sneaky-" + UUID.randomUUID().toString().substring(0, 8) + ",S,admin,,long-enough-pw\n";
		String username = row.substring(0, row.indexOf(','));
		assertThat(this.people.teacher().postFile("/admin/users/import", "roster", "r.csv", row).statusCode()).isEqualTo(403);
		assertThat(this.people.alice().postFile("/admin/users/import", "roster", "r.csv", row).statusCode()).isEqualTo(403);
		assertThat(this.people.admin().postFile("/admin/users/import", "roster", "r.csv", row, false).statusCode())
			.as("an admin's browser tricked into posting: no CSRF token")
			.isEqualTo(403);
		HttpResponse<String> signedOut = send(HttpRequest.newBuilder(uri("/admin/users/import"))
			.header("Content-Type", "multipart/form-data; boundary=x")
			.POST(HttpRequest.BodyPublishers.ofString("--x--\r\n"))
			.build());
		assertThat(signedOut.statusCode()).as("signed out").isIn(302, 401, 403);
		assertThat(this.accounts.findByUsername(username)).isEmpty();

		assertThat(this.people.admin().postFile("/admin/users/import", "roster", "r.csv", row).statusCode()).isEqualTo(200);
		assertThat(this.accounts.findByUsername(username)).isPresent();
	}

	@Test
	void onlyAdminsAddCoTeachersAndNeverWithoutTheCsrfToken() throws Exception {
		String path = "/admin/classes/" + this.people.classroom().id() + "/teachers";
		Map<String, String> form = Map.of("username", this.people.otherTeacher().user().username());
		assertThat(this.people.teacher().postForm(path, form).statusCode()).as("the class's own teacher").isEqualTo(403);
		assertThat(this.people.otherTeacher().postForm(path, form).statusCode()).as("the teacher themself").isEqualTo(403);
		assertThat(this.people.alice().postForm(path, form).statusCode()).isEqualTo(403);
		assertThat(this.people.admin().postFormWithoutCsrf(path, form).statusCode()).as("no CSRF token").isEqualTo(403);
		assertThat(this.people.teacher().get("/admin/users").statusCode()).isEqualTo(403);
		assertThat(this.classrooms.canTeach(this.people.otherTeacher().user(), this.people.classroom().id())).isFalse();

		assertThat(this.people.admin().postForm(path, form).statusCode()).isEqualTo(302);
		assertThat(this.classrooms.canTeach(this.people.otherTeacher().user(), this.people.classroom().id())).isTrue();
	}

}
