package org.ffilab.classroom;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.run.ScriptedSandbox;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** An admin imports a roster through the Users page's upload form; and makes a teacher a co-teacher. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ffilab.content-dir=src/test/resources/test-content")
@ActiveProfiles("test")
class RosterImportIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	@Autowired
	Classrooms classrooms;

	private LabSession admin;

	private LabUser teacher;

	private Classroom classroom;

	private String tag;

	@BeforeEach
	void setUp() {
		this.admin = LabSession.newUser(this.port, this.accounts, "admin", Role.ADMIN);
		this.teacher = LabSession.createUser(this.accounts, "teacher", Role.TEACHER);
		this.tag = UUID.randomUUID().toString().substring(0, 8);
		this.classroom = this.classrooms.create(this.teacher, "Roster class " + this.tag);
	}

	@Test
	void validRowsAreImportedAndEachBadRowIsReportedWithItsLine() {
		String roster = """
				username,display name,role,class,password
				ada-%1$s,"Lovelace, Ada",student,%2$s,
				grace-%1$s,Grace,Teacher,Roster class %1$s,a-long-enough-password
				bad-role-%1$s,X,wizard,%2$s,
				no-class-%1$s,X,student,NOPE2345,
				short-pw-%1$s,X,student,%2$s,short
				classless-%1$s,X,student,,
				ada-%1$s,Again,student,%2$s,
				""".formatted(this.tag, this.classroom.joinCode());

		HttpResponse<String> response = this.admin.postFile("/admin/users/import", "roster", "roster.csv", roster);

		assertThat(response.statusCode()).isEqualTo(200);
		String page = response.body();
		assertThat(page).contains("2 imported").contains("5 not imported");
		LabUser ada = this.accounts.findByUsername("ada-" + this.tag).orElseThrow();
		assertThat(ada.displayName()).isEqualTo("Lovelace, Ada");
		assertThat(ada.role()).isEqualTo(Role.STUDENT);
		assertThat(this.classrooms.studentIds(this.classroom.id())).containsExactly(ada.id());
		LabUser grace = this.accounts.findByUsername("grace-" + this.tag).orElseThrow();
		assertThat(grace.role()).isEqualTo(Role.TEACHER);
		assertThat(this.classrooms.canTeach(grace, this.classroom.id())).as("a teacher row teaches its class").isTrue();
		for (String refused : new String[] { "bad-role", "no-class", "short-pw", "classless" }) {
			assertThat(this.accounts.findByUsername(refused + "-" + this.tag)).as(refused).isEmpty();
		}
		assertThat(page).contains("none of student, teacher, admin")
			.contains("No class has the join code or name")
			.contains("at least 10 characters")
			.contains("A student needs a class")
			.contains("is taken");
		assertThat(page).containsPattern("<td class=\"num\">4</td>\\s*<td><code>bad-role-");

		// Ada's password was generated: it is on the page, once, and it works.
		Matcher generated = Pattern.compile("class=\"generated-password\">([a-z0-9-]+)</code>").matcher(page);
		assertThat(generated.find()).isTrue();
		String password = generated.group(1);
		assertThat(generated.find()).as("Grace brought her own").isFalse();
		assertThat(password).hasSize(19);
		HttpResponse<String> signIn = new LabSession(this.port).signInWith(ada.username(), password);
		assertThat(signIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
		assertThat(this.admin.get("/admin/users").body()).doesNotContain(password);
	}

	@Test
	void aClassNameThatTwoClassesShareIsRefused() {
		this.classrooms.create(this.teacher, "Roster class " + this.tag);
		String roster = "twin-" + this.tag + ",Twin,student,roster class " + this.tag + ",\n";
		String page = this.admin.postFile("/admin/users/import", "roster", "r.csv", roster).body();
		assertThat(page).contains("2 classes are named");
		assertThat(this.accounts.findByUsername("twin-" + this.tag)).isEmpty();
	}

	@Test
	void anEmptyUploadGoesBackWithAMessage() {
		HttpResponse<String> response = this.admin.postFile("/admin/users/import", "roster", "empty.csv", "");
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/admin/users");
	}

	@Test
	void anAdminMakesAnExistingTeacherACoTeacher() {
		LabSession other = LabSession.newUser(this.port, this.accounts, "coteacher", Role.TEACHER);
		String page = "/classes/" + this.classroom.id();
		assertThat(other.get(page).statusCode()).isEqualTo(404);

		HttpResponse<String> added = this.admin.postForm("/admin/classes/" + this.classroom.id() + "/teachers",
				Map.of("username", other.user().username()));

		assertThat(added.statusCode()).isEqualTo(302);
		assertThat(other.get(page).statusCode()).isEqualTo(200);
		assertThat(other.get(page).body()).contains(other.user().displayName())
			.doesNotContain("add-teacher-form");
		assertThat(this.admin.get(page).body()).contains("add-teacher-form");
	}

	@Test
	void onlyTeachersCanBeMadeCoTeachers() {
		LabUser student = LabSession.createUser(this.accounts, "student", Role.STUDENT);
		this.admin.postForm("/admin/classes/" + this.classroom.id() + "/teachers",
				Map.of("username", student.username()));
		assertThat(this.classrooms.teacherIds(this.classroom.id())).containsExactly(this.teacher.id());
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
