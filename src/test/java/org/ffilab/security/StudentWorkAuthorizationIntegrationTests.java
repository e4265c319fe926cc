package org.ffilab.security;


import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * A student's history, draft and self-checks are their own: nobody else reads or changes them (not another student,
 * not their teacher, not an admin: these endpoints have no way to name another user), signed-out callers get 401,
 * and a change without the CSRF token is refused. Each denial is its own assertion.
 */
class StudentWorkAuthorizationIntegrationTests extends DoorTests {

	private static final String HISTORY = "/api/runs?task=01-echo&track=python";

	private static final String DRAFT = "/api/drafts/01-echo/python";

	private static final String SELF_CHECK = "/api/self-checks/01-echo";

	private static final String ALICES_DRAFT = "{\"files\":{\"main.py\":\"alice's secret\"}}";

	private static final String TICK = "{\"item\":0,\"ticked\":true}";

	@BeforeEach
	void aliceHasADraftAndATick() {
		assertThat(this.people.alice().putJson(DRAFT, ALICES_DRAFT).statusCode()).isEqualTo(200);
		assertThat(this.people.alice().postJson(SELF_CHECK, TICK).statusCode()).isEqualTo(200);
	}

	@Test
	void signedOutCallersGet401() throws Exception {
		assertThat(anonymous("GET", HISTORY, null).statusCode()).isEqualTo(401);
		assertThat(anonymous("GET", DRAFT, null).statusCode()).isEqualTo(401);
		assertThat(anonymous("GET", SELF_CHECK, null).statusCode()).isEqualTo(401);
	}

	@Test
	void signedOutChangesAreRefused() throws Exception {
		// Without a session there is no CSRF token either: refused as signed out (401) or as forged (403).
		assertThat(anonymous("PUT", DRAFT, ALICES_DRAFT).statusCode()).isIn(401, 403);
		assertThat(anonymous("POST", SELF_CHECK, TICK).statusCode()).isIn(401, 403);
	}

	@Test
	void changesWithoutTheCsrfTokenAreRefusedEvenWhenSignedIn() {
		assertThat(this.people.alice().putJsonWithoutCsrf(DRAFT, "{\"files\":{\"main.py\":\"forged\"}}").statusCode())
			.isEqualTo(403);
		assertThat(this.people.alice().getJson(DRAFT).path("files").path("main.py").asString()).isEqualTo("alice's secret");

		assertThat(this.people.alice().postJsonWithoutCsrf(SELF_CHECK, "{\"item\":0,\"ticked\":false}").statusCode())
			.isEqualTo(403);
		assertThat(this.people.alice().getJson(SELF_CHECK).path("ticked")).hasSize(1);
	}

	@Test
	void anotherStudentSeesNoneOfAlicesHistory() {
		assertThat(this.people.alice().get(HISTORY).body()).contains(this.aliceRun);
		assertThat(this.people.bob().getJson(HISTORY)).isEmpty();
		assertThat(this.people.bob().get(HISTORY + "&user=" + this.people.alice().user().id()).body()).as("no parameter names a user")
			.doesNotContain(this.aliceRun);
	}

	@Test
	void anotherStudentCannotReadOrChangeAlicesDraft() {
		assertThat(this.people.bob().get(DRAFT).statusCode()).as("bob has no draft; alice's is not his").isEqualTo(204);
		assertThat(this.people.bob().putJson(DRAFT, "{\"files\":{\"main.py\":\"bob's\"}}").statusCode()).isEqualTo(200);
		assertThat(this.people.bob().getJson(DRAFT).path("files").path("main.py").asString()).isEqualTo("bob's");
		assertThat(this.people.alice().getJson(DRAFT).path("files").path("main.py").asString())
			.as("bob's save touched only his own").isEqualTo("alice's secret");
	}

	@Test
	void anotherStudentCannotReadOrChangeAlicesSelfChecks() {
		assertThat(this.people.bob().getJson(SELF_CHECK).path("ticked")).isEmpty();
		assertThat(this.people.bob().get("/tasks/01-echo").body()).doesNotContain("checked=\"checked\"");
		assertThat(this.people.bob().get("/").body()).contains("0/1 self-checks").doesNotContain(">passed<");
		assertThat(this.people.bob().postJson(SELF_CHECK, "{\"item\":0,\"ticked\":false}").statusCode()).isEqualTo(200);
		assertThat(this.people.alice().getJson(SELF_CHECK).path("ticked")).as("bob's untick touched only his own").hasSize(1);
		assertThat(this.people.alice().get("/").body()).contains("1/1 self-checks").contains(">passed<");
	}

	@Test
	void theirTeacherAndAnAdminGetTheirOwnDataHereNotAlices() {
		for (LabSession other : new LabSession[] { this.people.teacher(), this.people.admin() }) {
			assertThat(other.getJson(HISTORY)).isEmpty();
			assertThat(other.get(DRAFT).statusCode()).isEqualTo(204);
			assertThat(other.getJson(SELF_CHECK).path("ticked")).isEmpty();
		}
	}

}
