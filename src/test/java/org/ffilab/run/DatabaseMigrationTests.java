package org.ffilab.run;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ffilab.grading.Verdict;
import org.ffilab.sandbox.SandboxException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Flyway migrations apply and the tables round-trip what the app stores. Runs on H2 (the default
 * test database) and again on PostgreSQL, the compose stack's database: scripts/lab test starts a
 * throwaway server and the pom's postgres-tests profile runs this class against it.
 */
@SpringBootTest(properties = { "ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
		"ffilab.content-dir=src/test/resources/test-content" })
@ActiveProfiles("test")
class DatabaseMigrationTests {

	@Autowired
	Flyway flyway;

	@Autowired
	RunRepository runs;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ObjectMapper json;

	@Test
	void everyMigrationIsAppliedAndNoneIsPending() throws IOException {
		var resolver = new PathMatchingResourcePatternResolver();
		// Shared migrations, plus one per version among the database-specific ones (each vendor has the same).
		long vendorVersions = Arrays.stream(resolver.getResources("classpath:db/vendor/*/V*.sql"))
			.map(Resource::getFilename)
			.distinct()
			.count();
		long files = resolver.getResources("classpath:db/migration/V*.sql").length + vendorVersions;
		MigrationInfo[] applied = this.flyway.info().applied();
		assertThat(applied).hasSize((int) files);
		assertThat(Arrays.stream(applied).map(MigrationInfo::getState)).containsOnly(MigrationState.SUCCESS);
		assertThat(this.flyway.info().pending()).isEmpty();
		assertThat(this.flyway.validateWithResult().validationSuccessful).isTrue();
	}

	@Test
	void aRunRoundTripsWithItsTimesAndFiles() {
		// Both databases keep microseconds; the JVM's clock may have more.
		Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
		String id = UUID.randomUUID().toString();
		Map<String, String> files = Map.of("cosine.py", "import ctypes\nprint('é ✓')\n");
		this.runs.insert(Run.queued(id, "01-ctypes-cos", "python", files, created, null, null));
		assertThat(this.runs.idsWithStatus(RunStatus.QUEUED)).contains(id);
		assertThat(this.runs.markRunning(id, created.plusMillis(5))).isTrue();
		assertThat(this.runs.markRunning(id, created.plusMillis(6))).as("only once").isFalse();
		this.runs.markFirstOutput(id, created.plusMillis(7));
		this.runs.finish(id, "out\n", "{\"status\":\"pass\"}", created.plusSeconds(1));

		Run run = this.runs.find(id).orElseThrow();
		assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
		assertThat(run.files()).isEqualTo(files);
		assertThat(run.output()).isEqualTo("out\n");
		assertThat(run.verdictJson()).isEqualTo("{\"status\":\"pass\"}");
		assertThat(run.createdAt()).isEqualTo(created);
		assertThat(run.startedAt()).isEqualTo(created.plusMillis(5));
		assertThat(run.firstOutputAt()).isEqualTo(created.plusMillis(7));
		assertThat(run.finishedAt()).isEqualTo(created.plusSeconds(1));
	}

	@Test
	void aFailedRunKeepsItsKindAndItsRetryPointsBack() {
		Instant created = Instant.now().truncatedTo(ChronoUnit.MICROS);
		String failed = UUID.randomUUID().toString();
		Map<String, String> files = Map.of("cosine.py", "print(1)\n");
		this.runs.insert(Run.queued(failed, "01-ctypes-cos", "python", files, created, null, null));
		this.runs.fail(failed, "$ python3 cosine.py\n", null, RunFailure.LAB_RESTARTED, created.plusSeconds(1));
		Run run = this.runs.find(failed).orElseThrow();
		assertThat(run.status()).isEqualTo(RunStatus.ERROR);
		assertThat(run.errorKind()).isEqualTo(RunErrorKind.INFRASTRUCTURE);
		assertThat(run.error()).isEqualTo(RunFailure.LAB_RESTARTED.message());
		assertThat(run.retryable()).isTrue();
		assertThat(this.runs.retryIdOf(failed)).isEmpty();

		String retry = UUID.randomUUID().toString();
		this.runs.insert(Run.queued(retry, "01-ctypes-cos", "python", files, created.plusSeconds(2), null, failed));
		assertThat(this.runs.find(retry).orElseThrow().retryOf()).isEqualTo(failed);
		assertThat(this.runs.retryIdOf(failed)).contains(retry);
		assertThatExceptionOfType(DuplicateKeyException.class).as("one retry per run")
			.isThrownBy(() -> this.runs.insert(Run.queued(UUID.randomUUID().toString(), "01-ctypes-cos", "python",
					files, created.plusSeconds(3), null, failed)));
	}

	@Test
	void aRunStoresItsOutcomeWhenItEnds() {
		String id = UUID.randomUUID().toString();
		this.runs.insert(Run.queued(id, "01-ctypes-cos", "python", Map.of("cosine.py", ""), Instant.now(), null, null));
		assertThat(outcome("run", id)).isNull();
		this.runs.finish(id, "", verdict(Verdict.FAIL), Instant.now());
		assertThat(outcome("run", id)).isEqualTo("fail");
		this.runs.fail(id, "", null, RunFailure.of(new SandboxException("engine down")), Instant.now());
		assertThat(outcome("run", id)).isEqualTo("error");
	}

	/**
	 * V5 fills in the outcome of runs stored before it from their verdict JSON: a schema of its own is migrated to V4,
	 * given runs the way the app stored them, then migrated on.
	 */
	@Test
	void runsStoredBeforeV5GetTheirOutcomeFromTheirVerdict() {
		String schema = "v5_outcome_" + UUID.randomUUID().toString().substring(0, 8);
		// Quoted, so the name is the same on H2 (which upper-cases bare names) and PostgreSQL.
		String run = "\"" + schema + "\".run";
		try {
			migrate(schema, "4");
			Map<String, String> expected = new LinkedHashMap<>();
			expected.put(storeOldRun(run, RunStatus.FINISHED, verdict(Verdict.PASS)), "pass");
			expected.put(storeOldRun(run, RunStatus.FINISHED, verdict(Verdict.FAIL)), "fail");
			expected.put(storeOldRun(run, RunStatus.ERROR, verdict(Verdict.ERROR)), "error");
			expected.put(storeOldRun(run, RunStatus.ERROR, null), "error");
			expected.put(storeOldRun(run, RunStatus.QUEUED, null), null);
			expected.put(storeOldRun(run, RunStatus.RUNNING, null), null);
			migrate(schema, "latest");
			expected.forEach((id, outcome) -> assertThat(outcome(run, id)).as(id).isEqualTo(outcome));
		}
		finally {
			this.jdbc.sql("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").update();
		}
	}

	@Test
	void aReferenceMetricRoundTrips() {
		String image = "sha256:" + UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO reference_metric (task_id, track_id, image_id, name, metric_value, unit,
				lower_is_better, measured_at) VALUES ('01-ctypes-cos', 'python', :image, 'call', 52.25, 'ns/op', TRUE, :at)""")
			.param("image", image)
			.param("at", Instant.now().atOffset(ZoneOffset.UTC))
			.update();
		var row = this.jdbc.sql("SELECT metric_value, lower_is_better FROM reference_metric WHERE image_id = :image")
			.param("image", image)
			.query((rs, n) -> Map.entry(rs.getDouble(1), rs.getBoolean(2)))
			.single();
		assertThat(row).isEqualTo(Map.entry(52.25, true));
	}

	private void migrate(String schema, String target) {
		Flyway.configure()
			.configuration(this.flyway.getConfiguration())
			.schemas(schema)
			.defaultSchema(schema)
			.target(target)
			.load()
			.migrate();
	}

	private String storeOldRun(String table, RunStatus status, String verdictJson) {
		String id = UUID.randomUUID().toString();
		this.jdbc.sql("INSERT INTO " + table + " (id, task_id, track_id, status, files_json, verdict_json, created_at)"
				+ " VALUES (:id, '01-ctypes-cos', 'python', :status, '{}', :verdict, :at)")
			.param("id", id)
			.param("status", status.name())
			.param("verdict", verdictJson)
			.param("at", Instant.now().atOffset(ZoneOffset.UTC))
			.update();
		return id;
	}

	private String outcome(String table, String id) {
		return this.jdbc.sql("SELECT outcome FROM " + table + " WHERE id = :id")
			.param("id", id)
			.query((rs, row) -> Optional.ofNullable(rs.getString("outcome")))
			.single()
			.orElse(null);
	}

	/** A verdict as the run worker stores it. */
	private String verdict(String status) {
		return this.json.writeValueAsString(new Verdict(status, "a message", null, List.of(), List.of(
				new Verdict.TestResult("a test", status, null, null, "Tests")), List.of(), List.of()));
	}

}
