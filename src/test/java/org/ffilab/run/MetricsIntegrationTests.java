package org.ffilab.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.run.PromQlSelectors.Selector;
import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.sandbox.SandboxStatus;
import org.ffilab.testsupport.LabSession;
import org.ffilab.testsupport.LabStomp;
import org.ffilab.testsupport.PrometheusScrape;
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
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * /actuator/prometheus after real runs through the API (with the scripted sandbox), and the Grafana
 * dashboard checked against it so that it cannot ask for a series the app does not export.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.content-dir=src/test/resources/test-content", "ffilab.runs.concurrency=1" })
@ActiveProfiles("test")
class MetricsIntegrationTests {

	static final Path DASHBOARD = Path.of("docs/grafana/ffi-lab-dashboard.json");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, String> ECHO_PASS = Map.of("task", "01-echo", "track", "python", "outcome",
			"pass");

	/** What the scripted sandbox's run keeps as output. */
	private static final String OUTPUT = "$ python3 main.py\nhello from the sandbox\n";

	private static final List<String> PHASES = List.of("queue_wait", "sandbox_start", "execution", "grading",
			"total");

	@LocalServerPort
	int port;

	@Autowired
	ScriptedSandbox sandbox;

	@Autowired
	Accounts accounts;

	private LabSession student;

	/** Prometheus scrapes as an admin with HTTP Basic. */
	private LabUser scraper;

	@BeforeEach
	void signIn() {
		this.student = LabSession.newUser(this.port, this.accounts, "student", Role.STUDENT);
		this.scraper = LabSession.createUser(this.accounts, "prometheus", Role.ADMIN);
	}

	@AfterEach
	void reset() {
		this.sandbox.engineDown = false;
		this.sandbox.gate = new CountDownLatch(0);
	}

	@Test
	void runsShowInTheScrapeWithTheirOutcomePhasesAndGauges() throws Exception {
		PrometheusScrape before = scrape();
		this.sandbox.gate = new CountDownLatch(1);
		String first = submit();
		await().atMost(Duration.ofSeconds(10)).until(() -> status(first).equals("RUNNING"));
		String second = submit();
		StompSession session = LabStomp.connect(this.student);

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			PrometheusScrape during = scrape();
			assertThat(during.value("ffilab_runs_running")).as("one worker, busy").isEqualTo(1);
			assertThat(during.value("ffilab_runs_queued")).as("the second run waits").isEqualTo(1);
			assertThat(during.value("ffilab_websocket_sessions")).isEqualTo(1);
		});

		this.sandbox.gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> status(first).equals("FINISHED") && status(second).equals("FINISHED"));
		session.disconnect();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			PrometheusScrape after = scrape();
			assertThat(after.value("ffilab_runs_finished_total", ECHO_PASS))
				.isEqualTo(before.value("ffilab_runs_finished_total", ECHO_PASS) + 2);
			assertThat(after.value("ffilab_websocket_sessions")).isZero();
		});

		PrometheusScrape after = scrape();
		for (String phase : PHASES) {
			Map<String, String> tags = Map.of("phase", phase);
			assertThat(after.value("ffilab_run_phase_seconds_count", tags)).as(phase)
				.isEqualTo(before.value("ffilab_run_phase_seconds_count", tags) + 2);
			assertThat(after.value("ffilab_run_phase_seconds_bucket", Map.of("phase", phase, "le", "+Inf")))
				.as(phase)
				.isEqualTo(after.value("ffilab_run_phase_seconds_count", tags));
			assertThat(after.find("ffilab_run_phase_seconds_bucket", tags)).as("a percentile histogram for " + phase)
				.hasSizeGreaterThan(10);
		}
		// The scripted sandbox reports 3 ms of start-up and 5 ms of execution per run.
		assertThat(after.value("ffilab_run_phase_seconds_sum", Map.of("phase", "sandbox_start"))
				- before.value("ffilab_run_phase_seconds_sum", Map.of("phase", "sandbox_start")))
			.isCloseTo(0.006, within(1e-9));
		assertThat(after.value("ffilab_run_phase_seconds_sum", Map.of("phase", "execution"))
				- before.value("ffilab_run_phase_seconds_sum", Map.of("phase", "execution")))
			.isCloseTo(0.010, within(1e-9));
		assertThat(after.value("ffilab_run_phase_seconds_sum", Map.of("phase", "total")))
			.as("the first run waited on the gate")
			.isGreaterThan(after.value("ffilab_run_phase_seconds_sum", Map.of("phase", "execution")));
		assertThat(after.value("ffilab_run_output_bytes_count") - before.value("ffilab_run_output_bytes_count"))
			.isEqualTo(2);
		assertThat(after.value("ffilab_run_output_bytes_sum") - before.value("ffilab_run_output_bytes_sum"))
			.isEqualTo(2 * OUTPUT.getBytes(StandardCharsets.UTF_8).length);
		assertThat(after.value("ffilab_runs_truncated_total")).isEqualTo(before.value("ffilab_runs_truncated_total"));
		assertThat(after.value("ffilab_runs_running")).isZero();
		assertThat(after.value("ffilab_runs_queued")).isZero();
		assertThat(after.value("ffilab_sandbox_engine_up")).isEqualTo(1);
		assertThat(after.value("ffilab_sandbox_image_present", Map.of("image", "ffilab/python"))).isEqualTo(1);
		assertThat(after.find("ffilab_runs_finished_total", Map.of())).as("only catalog ids as tags")
			.allSatisfy((sample) -> {
				assertThat(sample.labels()).containsEntry("task", "01-echo").containsEntry("track", "python");
			});
	}

	@Test
	void aRunTheSandboxCouldNotCarryOutCountsAsInfrastructure() throws Exception {
		Map<String, String> infrastructure = Map.of("task", "01-echo", "track", "python", "outcome",
				"infrastructure");
		double before = scrape().find("ffilab_runs_finished_total", infrastructure)
			.stream()
			.mapToDouble(PrometheusScrape.Sample::value)
			.sum();
		this.sandbox.engineDown = true;
		String id = submit();
		await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("ERROR"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(scrape().value("ffilab_runs_finished_total", infrastructure))
				.isEqualTo(before + 1));
	}

	@Test
	void everySeriesTheDashboardQueriesIsInTheScrape() throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
		assertThat(dashboard.path("__inputs").get(0).path("name").asString()).isEqualTo("DS_PROMETHEUS");
		List<JsonNode> targets = new ArrayList<>();
		for (JsonNode panel : panels(dashboard)) {
			if (panel.path("type").asString().equals("row")) {
				continue;
			}
			assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
				.isEqualTo("${DS_PROMETHEUS}");
			assertThat(panel.path("targets")).as(panel.path("title").asString()).isNotEmpty();
			panel.path("targets").forEach(targets::add);
		}
		Set<Selector> selectors = new LinkedHashSet<>();
		for (JsonNode target : targets) {
			Set<Selector> found = PromQlSelectors.of(target.path("expr").asString());
			assertThat(found).as(target.path("expr").asString()).isNotEmpty();
			selectors.addAll(found);
		}

		PrometheusScrape scrape = scrape();
		assertThat(selectors).allSatisfy((selector) -> assertThat(scrape.find(selector.metric(), selector.labels()))
			.as("the dashboard asks for %s; the scrape has %s", selector, scrape.names())
			.isNotEmpty());
		Set<String> charted = new TreeSet<>();
		selectors.forEach((selector) -> charted.add(family(selector.metric())));
		Set<String> exported = new TreeSet<>();
		scrape.names().stream().filter((name) -> name.startsWith("ffilab_")).map(this::family).forEach(exported::add);
		assertThat(charted).as("every ffilab meter has a panel").containsAll(exported);
	}

	/** A sample name without the suffix its meter type adds. */
	private String family(String name) {
		return name.replaceFirst("_(bucket|count|sum|max|total)$", "");
	}

	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	private PrometheusScrape scrape() {
		return PrometheusScrape.fetch(this.port, this.scraper);
	}

	private String submit() {
		return this.student.submit("01-echo", "python", Map.of("main.py", "print('hi')"));
	}

	private String status(String id) {
		return this.student.getJson("/api/runs/" + id).path("status").asString();
	}

	@TestConfiguration
	static class Fakes {

		@Bean
		@Primary
		ScriptedSandbox scriptedSandbox() {
			return new ScriptedSandbox();
		}

		/** The engine answers and has every image: the gauges must say 1 whether or not Docker runs here. */
		@Bean
		@Primary
		SandboxMonitor readyMonitor() {
			return new SandboxMonitor() {

				@Override
				public SandboxStatus status(Collection<String> neededImages) {
					return new SandboxStatus(true, "Docker (test)", List.of());
				}

				@Override
				public Optional<String> imageId(String image) {
					return Optional.empty();
				}

			};
		}

	}

}
