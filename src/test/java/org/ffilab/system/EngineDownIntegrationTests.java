package org.ffilab.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.PrometheusScrape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With no engine at the configured address, every page says so and health reports the sandbox down. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
				"ffilab.content-dir=src/test/resources/test-content" })
@ActiveProfiles("test")
class EngineDownIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	private LabSession student;

	@BeforeEach
	void signIn() {
		this.student = LabSession.newUser(this.port, this.accounts, "student", Role.STUDENT);
	}

	@Test
	void pagesShowABannerAndHealthIsDown() throws Exception {
		HttpResponse<String> page = this.student.get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("banner-warning").contains("Runs are unavailable");
		HttpResponse<String> task = this.student.get("/tasks/01-echo");
		assertThat(task.body()).contains("Runs are unavailable");
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(health.body()).contains("\"sandbox\"").contains("\"engineReachable\":false");
	}

	@Test
	void metricsSayTheEngineIsDownAndTheImagesAreMissing() {
		LabUser scraper = LabSession.createUser(this.accounts, "prometheus", Role.ADMIN);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			PrometheusScrape scrape = PrometheusScrape.fetch(this.port, scraper);
			assertThat(scrape.value("ffilab_sandbox_engine_up")).isZero();
			assertThat(scrape.value("ffilab_sandbox_image_present", Map.of("image", "ffilab/python"))).isZero();
		});
	}

	@Test
	void taskPageRendersStatementHintsAndStarterFiles() throws Exception {
		String body = this.student.get("/tasks/01-echo").body();
		assertThat(body).contains("Echo for the API tests")
			.contains("&lt;b&gt;raw html is escaped&lt;/b&gt;")
			.contains("A hint with <code>code</code>")
			.contains("The test can tick this")
			.contains("\"name\":\"main.py\"")
			.contains("data-task=\"01-echo\"");
	}

	@Test
	void unknownTaskIs404() throws Exception {
		assertThat(this.student.get("/tasks/99-nothing").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
