package org.ffilab.sandbox.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.dockerjava.api.DockerClient;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxLimits;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The Docker sandbox against the real engine and the base image, under the production profile. */
@Tag("docker")
class DockerSandboxIntegrationTests {

	static final SandboxProperties PROPERTIES = new SandboxProperties("unix:///var/run/docker.sock", "ffilab/",
			"1000:1000", 1, DataSize.ofMegabytes(512), 256, DataSize.ofMegabytes(64), Duration.ofSeconds(60),
			DataSize.ofMegabytes(1), 2, DataSize.ofGigabytes(2), 1024, DataSize.ofMegabytes(512),
			Duration.ofSeconds(300), DataSize.ofMegabytes(4));

	static final SandboxInstance INSTANCE = new SandboxInstance("sandbox-test");

	static DockerClient docker;

	static DockerSandbox sandbox;

	@BeforeAll
	static void connect() {
		docker = new DockerClientConfiguration().dockerClient(PROPERTIES, EngineProperties.defaults());
		sandbox = new DockerSandbox(docker, PROPERTIES, EngineProperties.defaults(), INSTANCE,
				new StrandedContainers(docker, INSTANCE), new DockerSandboxMonitor(docker, PROPERTIES));
	}

	@AfterAll
	static void noContainerIsLeft() throws IOException {
		assertThat(docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of(ContainerSpec.INSTANCE_LABEL + "=" + INSTANCE.name()))
			.exec()).isEmpty();
		docker.close();
	}

	@Test
	void runsHardenedAsTheRunnerWithStdinDelivered() {
		String script = """
				head -c 20  # the engine never closes stdin: read exactly what was sent
				echo "uid=$(id -u)"
				grep CapEff /proc/self/status
				grep NoNewPrivs /proc/self/status
				touch /etc/owned 2>/dev/null && echo "root writable" || echo "root read-only"
				echo "interfaces: $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\\n' ' ')"
				printf 'int main(){return 0;}' > /work/t.c && cc -o /work/t /work/t.c && /work/t && echo "exec in /work ok"
				""";
		Run run = run(List.of("sh", "-c", script), "hello through stdin\n".getBytes(StandardCharsets.UTF_8),
				PROPERTIES.defaults());
		assertThat(run.result.exitCode()).isZero();
		assertThat(run.result.startup()).as("create, attach and start").isPositive();
		assertThat(run.stdout).contains("hello through stdin", "uid=1000", "CapEff:\t0000000000000000",
				"NoNewPrivs:\t1", "root read-only", "interfaces: lo ", "exec in /work ok");
	}

	@Test
	void wallTimeDeadlineKillsTheRun() {
		var limits = new SandboxLimits(1, 256L << 20, 64, 16L << 20, Duration.ofSeconds(2), 1 << 20);
		Run run = run(List.of("sleep", "60"), new byte[0], limits);
		assertThat(run.result.timedOut()).isTrue();
		assertThat(run.result.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2))
			.isLessThan(Duration.ofSeconds(20));
	}

	@Test
	void memoryLimitIsReportedAsOomKill() {
		var limits = new SandboxLimits(1, 96L << 20, 64, 16L << 20, Duration.ofSeconds(30), 1 << 20);
		Run run = run(List.of("python3", "-c", "x = bytearray(400 * 1024 * 1024); print(len(x))"), new byte[0],
				limits);
		assertThat(run.result.oomKilled()).isTrue();
		assertThat(run.result.timedOut()).isFalse();
	}

	@Test
	void runawayOutputIsCappedAndStopped() {
		var limits = new SandboxLimits(1, 256L << 20, 64, 16L << 20, Duration.ofSeconds(30), 64 * 1024);
		Run run = run(List.of("yes", "flood"), new byte[0], limits);
		assertThat(run.result.outputTruncated()).isTrue();
		assertThat(run.result.timedOut()).isFalse();
		assertThat(run.stdout.length()).isLessThanOrEqualTo(64 * 1024 * 4 + 1024 * 1024);
	}

	@Test
	void collectedFilesGetRoomOnTopOfTheOutputCap() {
		// 2,000,000 bytes as base64: 2.67 MB on stdout, as the harness sends collected files.
		List<String> command = List.of("sh", "-c", "head -c 2000000 /dev/zero | base64 -w 0");
		var limits = new SandboxLimits(1, 256L << 20, 64, 16L << 20, Duration.ofSeconds(30), 64 * 1024);
		assertThat(run(command, new byte[0], limits).result.outputTruncated()).isTrue();
		Run collecting = run(command, new byte[0], limits, 2_000_000);
		assertThat(collecting.result.outputTruncated()).isFalse();
		assertThat(collecting.stdout).hasSize(2_666_668);
	}

	@Test
	void processLimitHoldsAForkBomb() {
		var limits = new SandboxLimits(1, 256L << 20, 32, 16L << 20, Duration.ofSeconds(10), 1 << 20);
		Run run = run(List.of("sh", "-c", "for i in $(seq 100); do sleep 5 & done; wait; echo done"), new byte[0],
				limits);
		assertThat(run.stdout + run.stderr).containsIgnoringCase("fork");
	}

	@Test
	void missingImageIsAnInfrastructureError() {
		var request = new SandboxRequest(UUID.randomUUID().toString(), "no-such-image-" + UUID.randomUUID(),
				List.of("true"), new byte[0], PROPERTIES.defaults());
		assertThatExceptionOfType(SandboxException.class).isThrownBy(() -> sandbox.run(request, (chunk) -> {
		})).withMessageContaining("missing");
	}

	@Test
	void reaperRemovesLeftoversOfItsOwnInstanceOnly() {
		String mine = docker.createContainerCmd("ffilab/base")
			.withCmd("true")
			.withLabels(Map.of(ContainerSpec.INSTANCE_LABEL, INSTANCE.name(), ContainerSpec.RUN_LABEL, "left"))
			.exec()
			.getId();
		String other = docker.createContainerCmd("ffilab/base")
			.withCmd("true")
			.withLabels(Map.of(ContainerSpec.INSTANCE_LABEL, "another-lab"))
			.exec()
			.getId();
		try {
			assertThat(new OrphanReaper(docker, INSTANCE).reap()).isEqualTo(1);
			assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(mine)).exec()).isEmpty();
			assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(other)).exec()).hasSize(1);
		}
		finally {
			docker.removeContainerCmd(other).withForce(true).exec();
		}
	}

	private static Run run(List<String> command, byte[] stdin, SandboxLimits limits) {
		return run(command, stdin, limits, 0);
	}

	private static Run run(List<String> command, byte[] stdin, SandboxLimits limits, long collectBytes) {
		var stdout = new ByteArrayOutputStream();
		var stderr = new ByteArrayOutputStream();
		var request = new SandboxRequest(UUID.randomUUID().toString(), "base", command, stdin, limits,
				collectBytes);
		SandboxResult result = sandbox.run(request, (chunk) -> {
			synchronized (stdout) {
				(chunk.stream() == OutputChunk.Stream.STDOUT ? stdout : stderr).writeBytes(chunk.data());
			}
		});
		return new Run(result, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
	}

	record Run(SandboxResult result, String stdout, String stderr) {
	}

}
