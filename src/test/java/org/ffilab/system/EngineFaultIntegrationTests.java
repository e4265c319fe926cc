package org.ffilab.system;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 7: the Docker engine goes away in the middle of a run, for real. The app talks to the real
 * engine through a unix-socket proxy this test starts ({@link EngineProxy}), so cutting the proxy
 * takes the engine away from this app only. A real run of task 1 (the reference solution, made to
 * sleep first) is cut off mid-run: it must end as an infrastructure error within seconds with its
 * files and output kept, health must say the engine is down and then up again, the container the
 * engine still holds must be removed once it is back, and the retry must pass.
 *
 * <p>
 * The deadlines are shortened (query 2 s, lost after 3 s, removal retried every second) so the
 * cases stay short; the bounds asserted leave room for a loaded 2-core machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.sandbox.engine.query-timeout=2s", "ffilab.sandbox.engine.lost-after=3s",
				"ffilab.sandbox.engine.removal-retry=1s", "ffilab.runs.concurrency=1" })
@ActiveProfiles("test")
@Tag("docker")
class EngineFaultIntegrationTests {

	private static final Path ENGINE = Path.of("/var/run/docker.sock");

	private static final String INSTANCE = "test-engine-faults-" + UUID.randomUUID().toString().substring(0, 8);

	/** From the engine going away to the run's end: the poll gives up after 3 s, plus one call's deadline. */
	private static final Duration RUN_ENDS_WITHIN = Duration.ofSeconds(15);

	private static final Duration HEALTH_FOLLOWS_WITHIN = Duration.ofSeconds(8);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static EngineProxy proxy;

	static DockerClient realEngine;

	@LocalServerPort
	int port;

	@Autowired
	Accounts accounts;

	private LabSession student;

	@BeforeEach
	void signIn() {
		this.student = LabSession.newUser(this.port, this.accounts, "student", Role.STUDENT);
	}

	@DynamicPropertySource
	static void pointTheAppAtTheProxy(DynamicPropertyRegistry registry) throws IOException {
		// Short: a unix socket's path is limited to 107 bytes.
		Path socket = Path.of("/tmp", "ffilab-engine-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
		proxy = new EngineProxy(socket, ENGINE);
		registry.add("ffilab.sandbox.docker-host", () -> "unix://" + socket);
		registry.add("ffilab.sandbox.instance", () -> INSTANCE);
	}

	@BeforeAll
	static void connectToTheRealEngine() {
		var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix://" + ENGINE).build();
		realEngine = DockerClientImpl.getInstance(config,
				new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
	}

	@AfterEach
	void engineBack() throws IOException {
		proxy.restore();
	}

	@AfterAll
	static void noContainerOfThisLabIsLeft() throws IOException {
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> containersOfThisLab().isEmpty());
		}
		finally {
			proxy.close();
			realEngine.close();
		}
	}

	@Test
	void engineGoneMidRunEndsAsInfrastructureErrorAndTheRetryPasses() throws Exception {
		Map<String, String> files = Map.of("cosine.py", slowReferenceSolution());
		String id = submit(files);
		awaitRunning(id);
		assertThat(containersOfThisLab()).as("the run's container on the real engine").hasSize(1);

		long cut = System.nanoTime();
		proxy.cut();
		JsonNode failed = awaitEnd(id, RUN_ENDS_WITHIN);
		Duration toError = since(cut);
		assertInfrastructureError(failed, files);
		JsonNode down = awaitHealth(503, HEALTH_FOLLOWS_WITHIN);
		Duration toDown = since(cut);
		assertThat(down.path("components").path("sandbox").path("details").path("engineReachable").asBoolean())
			.isFalse();
		assertThat(get("/tasks/01-ctypes-cos").body()).as("the page banner").contains("Runs are unavailable");

		long back = System.nanoTime();
		proxy.restore();
		JsonNode up = awaitHealth(200, HEALTH_FOLLOWS_WITHIN);
		Duration toUp = since(back);
		assertThat(up.path("components").path("sandbox").path("status").asString()).isEqualTo("UP");
		await().atMost(Duration.ofSeconds(15)).until(() -> containersOfThisLab().isEmpty());
		Duration toRemoved = since(back);

		String retryId = retry(id);
		JsonNode retried = awaitEnd(retryId, Duration.ofSeconds(90));
		assertThat(retried.path("status").asString()).as(retried.toString()).isEqualTo("FINISHED");
		assertThat(retried.path("verdict").path("status").asString()).as(retried.path("verdict").toString())
			.isEqualTo("pass");
		assertThat(retried.path("retryOf").asString()).isEqualTo(id);
		assertThat(retried.path("files").path("cosine.py").asString()).isEqualTo(files.get("cosine.py"));
		System.out.printf("Engine gone mid-run: ERROR after %d ms, health DOWN after %d ms; engine back: health UP "
				+ "after %d ms, container removed after %d ms%n", toError.toMillis(), toDown.toMillis(), toUp.toMillis(),
				toRemoved.toMillis());
	}

	@Test
	void engineThatStopsAnsweringMidRunEndsTheRunToo() throws Exception {
		Map<String, String> files = Map.of("cosine.py", slowReferenceSolution());
		String id = submit(files);
		awaitRunning(id);

		long frozen = System.nanoTime();
		proxy.freeze();
		JsonNode failed = awaitEnd(id, RUN_ENDS_WITHIN);
		Duration toError = since(frozen);
		assertInfrastructureError(failed, files);
		awaitHealth(503, HEALTH_FOLLOWS_WITHIN);
		Duration toDown = since(frozen);

		long back = System.nanoTime();
		proxy.restore();
		awaitHealth(200, HEALTH_FOLLOWS_WITHIN);
		// The container went on running on the engine after the lab gave it up: removed now.
		await().atMost(Duration.ofSeconds(15)).until(() -> containersOfThisLab().isEmpty());
		System.out.printf("Engine frozen mid-run: ERROR after %d ms, health DOWN after %d ms; removed %d ms after "
				+ "it answered again%n", toError.toMillis(), toDown.toMillis(), since(back).toMillis());
	}

	@Test
	void engineStoppingGracefullyEndsTheRunAsItsInfrastructureErrorNotAsACrash() throws Exception {
		// What dockerd does on SIGTERM (seen by hand on this machine): its socket goes at once, the
		// connections the app already holds go on answering, it stops every container (SIGTERM, which
		// the harness as PID 1 ignores, then SIGKILL: exit 137), and only then exits.
		Map<String, String> files = Map.of("cosine.py", slowReferenceSolution());
		String id = submit(files);
		awaitRunning(id);
		String container = containersOfThisLab().get(0).getId();

		long stopping = System.nanoTime();
		proxy.stopListening();
		awaitHealth(503, HEALTH_FOLLOWS_WITHIN);
		Duration toDown = since(stopping);
		realEngine.stopContainerCmd(container).withTimeout(1).exec();
		JsonNode failed = awaitEnd(id, RUN_ENDS_WITHIN);
		assertThat(failed.path("verdict").path("reason").asString()).as("not the student's crash").isNotEqualTo("CRASH");
		assertInfrastructureError(failed, files);
		Duration toError = since(stopping);

		proxy.cut();
		proxy.restore();
		awaitHealth(200, HEALTH_FOLLOWS_WITHIN);
		await().atMost(Duration.ofSeconds(15)).until(() -> containersOfThisLab().isEmpty());
		System.out.printf("Engine stopping gracefully: health DOWN after %d ms, ERROR after %d ms (container stopped "
				+ "after the health check)%n", toDown.toMillis(), toError.toMillis());
	}

	@Test
	void outputStreamCutUnderARunningContainerEndsTheRunToo() throws Exception {
		Map<String, String> files = Map.of("cosine.py", slowReferenceSolution());
		String id = submit(files);
		awaitRunning(id);

		long dropped = System.nanoTime();
		proxy.dropConnections();
		JsonNode failed = awaitEnd(id, RUN_ENDS_WITHIN);
		assertInfrastructureError(failed, files);
		assertThat(get("/actuator/health").statusCode()).as("the engine itself answers").isEqualTo(200);
		await().atMost(Duration.ofSeconds(15)).until(() -> containersOfThisLab().isEmpty());
		System.out.printf("Output stream cut mid-run: ERROR after %d ms%n", since(dropped).toMillis());
	}

	private static void assertInfrastructureError(JsonNode run, Map<String, String> files) {
		assertThat(run.path("status").asString()).as(run.toString()).isEqualTo("ERROR");
		assertThat(run.path("errorKind").asString()).isEqualTo("INFRASTRUCTURE");
		assertThat(run.path("retryable").asBoolean()).isTrue();
		assertThat(run.path("error").asString()).isEqualTo(
				"The lab lost its connection to the sandbox engine while your run was running. Your code is saved; press Retry.");
		assertThat(run.path("verdict").path("reason").asString()).isEqualTo("INFRASTRUCTURE");
		assertThat(run.path("output").asString()).as("the output so far is kept")
			.contains("$ python3 cosine.py", "sleeping");
		assertThat(run.path("files").path("cosine.py").asString()).isEqualTo(files.get("cosine.py"));
	}

	/** Task 1's reference solution, sleeping 8 s when run as a program (the check's probe imports it without). */
	private static String slowReferenceSolution() throws IOException {
		String solution = Files.readString(Path.of("content/tasks/01-ctypes-cos/tracks/python/solution/cosine.py"));
		String main = "if __name__ == \"__main__\":\n";
		assertThat(solution).contains(main);
		return solution.replace(main,
				main + "    import time\n    print(\"sleeping 8 s\", flush=True)\n    time.sleep(8)\n");
	}

	private static List<Container> containersOfThisLab() {
		return realEngine.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of("org.ffilab.instance=" + INSTANCE))
			.exec();
	}

	private String submit(Map<String, String> files) throws Exception {
		HttpResponse<String> response = post("/api/runs",
				JSON.writeValueAsString(Map.of("task", "01-ctypes-cos", "track", "python", "files", files)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("id").asString();
	}

	private String retry(String id) throws Exception {
		HttpResponse<String> response = post("/api/runs/" + id + "/retry", "");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("id").asString();
	}

	/** Until the student's program is running: the harness has echoed its command and it said it sleeps. */
	private void awaitRunning(String id) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> run(id).path("output").asString().contains("sleeping"));
	}

	private JsonNode awaitEnd(String id, Duration within) throws Exception {
		await().atMost(within)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> List.of("FINISHED", "ERROR").contains(run(id).path("status").asString()));
		return run(id);
	}

	private JsonNode awaitHealth(int status, Duration within) throws Exception {
		await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> get("/actuator/health").statusCode() == status);
		return JSON.readTree(get("/actuator/health").body());
	}

	private static Duration since(long nanos) {
		return Duration.ofNanos(System.nanoTime() - nanos);
	}

	private JsonNode run(String id) throws Exception {
		HttpResponse<String> response = get("/api/runs/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> get(String path) {
		return this.student.get(path);
	}

	private HttpResponse<String> post(String path, String body) {
		return this.student.postJson(path, body);
	}

}
