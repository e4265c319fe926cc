package org.ffilab.run;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.Test;

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

}
