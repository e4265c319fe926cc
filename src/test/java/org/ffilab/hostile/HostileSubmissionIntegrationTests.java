package org.ffilab.hostile;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.ffilab.account.Accounts;
import org.ffilab.account.Role;
import org.ffilab.grading.HarnessEvents;
import org.ffilab.grading.HarnessStream;
import org.ffilab.run.Submission;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Issue 7: hostile submissions against the real app and the real engine. Each case submits a
 * hostile program to a real task (task 1's cosine.py, task 2's mymath.c for attacks in C) together
 * with task 1's reference solution, probes the lab's liveness all along, and checks that the
 * hostile run ends quickly with a clear verdict while the well-behaved one passes.
 *
 * <p>
 * The wall time is capped at 12 s (the tracks ask for 30 and 40) so that the cases that end by a
 * timeout stay short. The suite has its own sandbox instance name, so that the start-up reaper of
 * another suite on the same engine never removes its containers, nor this one theirs.
 *
 * <p>
 * Limits: the harness names the limit that decided a failed run and leads the verdict's message
 * with it ("Time limit: ..."); the server maps it to the verdict's reason. Where the server does
 * not (yet) give a reason, the message must carry it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ffilab.sandbox.instance=" + HostileSubmissionIntegrationTests.INSTANCE,
				"ffilab.sandbox.max-wall-time=12s", "ffilab.runs.concurrency=2" })
@ActiveProfiles("test")
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileSubmissionIntegrationTests {

	static final String INSTANCE = "test-hostile";

	private static final String COSINE = "01-ctypes-cos";

	private static final String MYMATH = "02-own-c-library";

	private static final Duration QUICK = Duration.ofSeconds(10);

	private static final Duration SHORT = Duration.ofSeconds(20);

	private final List<String> summaries = new CopyOnWriteArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	TaskCatalog catalog;

	@Autowired
	DockerClient docker;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Sandbox sandbox;

	@Autowired
	SandboxProperties sandboxProperties;

	@Autowired
	Accounts accounts;

	private LabClient lab;

	@BeforeAll
	void connect() {
		this.lab = new LabClient(LabSession.newUser(this.port, this.accounts, "hostile", Role.STUDENT));
	}

	@AfterAll
	void noContainerOfTheLabIsLeft() {
		System.out.println("Hostile submissions:\n  " + String.join("\n  ", this.summaries));
		assertThat(labContainers(INSTANCE)).as("containers of this lab after the suite").isEmpty();
	}

	@Test
	void forkBombInPythonIsHeldByTheProcessLimit() {
		Attack attack = attack("fork bomb (Python)", cosine("fork-bomb"));
		// Every forked Python process dirties its own pages: the memory runs out as well.
		assertLimit(attack, SHORT, "Process limit", "PROCESS_LIMIT");
		assertThat(attack.output()).contains("limit on the number of processes");
	}

	@Test
	void forkBombInCIsHeldByTheProcessLimit() {
		Attack attack = attack("fork bomb (C)", mymath("c-fork-bomb"));
		assertLimit(attack, SHORT, "Process limit", "PROCESS_LIMIT");
		assertThat(failedTest(attack, "C: add").path("message").asString())
			.contains("hit the limit on the number of processes");
	}

	@Test
	void memoryHogIsKilledByTheMemoryLimit() {
		Attack attack = attack("memory hog", cosine("memory-hog"));
		assertLimit(attack, QUICK, "Memory limit", "MEMORY_LIMIT");
		assertThat(failedTest(attack, "cosine.py runs").path("message").asString()).contains("memory limit");
	}

	@Test
	void infiniteLoopIsStoppedByTheTimeLimit() {
		Attack attack = attack("infinite loop", cosine("infinite-loop"));
		assertLimit(attack, SHORT, "Time limit", "TIME_LIMIT");
		assertThat(failedTest(attack, "cosine.py runs").path("message").asString())
			.contains("when the run's time limit ran out");
	}

	@Test
	void aGigabyteOfOutputIsCutAndStopped() {
		Attack attack = attack("1 GiB of output", cosine("gigabyte-of-output"));
		assertLimit(attack, QUICK, "Output limit", "OUTPUT_LIMIT");
		// What the student sees keeps the harness's notice and its account of how the step ended.
		assertThat(attack.output()).contains("[output truncated: the run printed more than 1 MiB",
				"run: was stopped after printing more than 16 MiB", "$ python3 probe_cosine.py")
			.doesNotContain("[the lab kept the first")
			.hasSizeLessThan(1024 * 1024 + 64 * 1024);
		assertThat(failedTest(attack, "cosine.py runs").path("message").asString())
			.contains("was stopped after printing more than 16 MiB");
	}

	@Test
	void networkConnectionsFailAtOnceAndReachNothing() throws IOException {
		List<String> hostAddresses = hostAddresses();
		try (var listener = new ServerSocket()) {
			listener.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
			String source = resource("network/cosine.py").replace("{{APP_PORT}}", String.valueOf(this.port))
				.replace("{{LISTENER_PORT}}", String.valueOf(listener.getLocalPort()))
				.replace("{{HOST_ADDRESSES}}", pythonList(hostAddresses));
			Attack attack = attack("network", new Submission(COSINE, "python", Map.of("cosine.py", source)));
			assertFailedTest(attack, QUICK, "cosine.py runs", "exited with code 1");
			String output = attack.output();
			assertThat(output).doesNotContain("CONNECTED")
				.contains("connect 127.0.0.1:" + this.port + " -> ConnectionRefusedError")
				.contains("connect 127.0.0.1:" + listener.getLocalPort() + " -> ConnectionRefusedError")
				.contains("connect 1.1.1.1:80 -> OSError (Network is unreachable)")
				.contains("no connection was possible");
			for (String address : hostAddresses) {
				assertThat(output).contains("connect " + address + ":" + this.port + " -> OSError (Network is unreachable)");
			}
			Matcher attempts = Pattern.compile("after (\\d+\\.\\d+) s").matcher(output);
			int count = 0;
			while (attempts.find()) {
				count++;
				assertThat(Double.parseDouble(attempts.group(1))).as("a connection attempt fails at once").isLessThan(1.0);
			}
			assertThat(count).isEqualTo(2 * (1 + hostAddresses.size()) + 1);
			listener.setSoTimeout(200);
			assertThatExceptionOfType(SocketTimeoutException.class).as("nothing reached the host")
				.isThrownBy(() -> listener.accept().close());
		}
	}

	@Test
	void hostFilesAndTheLabsConfigurationAreOutOfReach(@TempDir Path temp) throws IOException {
		String secret = "ffilab-secret-" + UUID.randomUUID();
		Path secretFile = Files.writeString(temp.resolve("secret.properties"), "password=" + secret + "\n");
		List<String> paths = List.of("/proc/1/environ", "/etc/shadow", "/var/run/docker.sock", "/run/docker.sock",
				Path.of("src/main/resources/application.properties").toAbsolutePath().toString(),
				Path.of("target/classes/application.properties").toAbsolutePath().toString(),
				secretFile.toAbsolutePath().toString());
		String source = resource("host-files/cosine.py").replace("{{PATHS}}", pythonList(paths));
		Attack attack = attack("host files", new Submission(COSINE, "python", Map.of("cosine.py", source)));
		assertFailedTest(attack, QUICK, "cosine.py runs", "exited with code 1");
		String output = attack.output();
		assertThat(output).doesNotContain("READ ").doesNotContain(secret);
		assertThat(output).contains("refused /proc/1/environ: PermissionError", "refused /etc/shadow: PermissionError",
				"refused /var/run/docker.sock: FileNotFoundError", "refused /run/docker.sock: FileNotFoundError");
		for (String path : paths.subList(4, paths.size())) {
			assertThat(output).contains("refused " + path + ": FileNotFoundError");
		}
		String environment = output.lines().filter((line) -> line.startsWith("environment:")).findFirst().orElseThrow();
		assertThat(environment).doesNotContain("FFILAB_", "SPRING", "JAVA_HOME", "MAVEN", "DOCKER", secret);
		assertThat(attack.run().path("verdict").toString()).doesNotContain(secret);
	}

	@Test
	void writesOutsideTheWorkDirectoryFail() {
		Attack attack = attack("writes outside /work", cosine("write-outside"));
		assertFailedTest(attack, QUICK, "cosine.py runs", "exited with code 1");
		String output = attack.output();
		assertThat(output).doesNotContain("WROTE").contains("wrote /work/inside", "wrote /tmp/inside");
		// The kernel answers "Permission denied" before "Read-only file system" for a file the
		// runner may not write anyway: either way nothing was written.
		for (String path : List.of("/etc/ffilab-owned", "/ffilab-owned", "/usr/lib/python3/dist-packages/ffilab_owned.py",
				"/usr/local/bin/ffilab-harness", "/opt/ffilab/harness/ffilab_harness/api.py", "/work/../etc/ffilab-owned",
				"/proc/sys/kernel/hostname", "/sys/fs/cgroup/pids/pids.max")) {
			assertThat(output).containsPattern(
					"(?m)^refused " + Pattern.quote(path) + ": (Read-only file system|Permission denied)$");
		}
		assertThat(output).contains("refused /etc/ffilab-owned: Read-only file system",
				"refused /opt/ffilab/harness/ffilab_harness/api.py: Permission denied");
	}

	@Test
	void fillingTheTmpfsIsTheDiskLimitWithAClearMessage() {
		Attack attack = attack("fill the tmpfs", cosine("fill-tmpfs"));
		assertLimit(attack, QUICK, "Disk limit", "DISK_LIMIT");
		assertThat(attack.verdict().path("message").asString()).contains("/work is full", "/work holds 64 MiB");
		JsonNode runs = failedTest(attack, "cosine.py runs");
		assertThat(runs.path("output").asString()).contains("No space left on device");
		// The checker's probe was deleted and there is no room to put it back: not the check's fault.
		assertThat(failedTest(attack, "cos(0.0) == 1.0").path("message").asString())
			.contains("could not run: the work directory is full");
		assertThat(attack.verdict().path("status").asString()).isNotEqualTo("error");
	}

	@Test
	void backgroundProcessesDoNotOutliveTheirStepNorTheRun() {
		Attack attack = attack("daemons", cosine("daemon"));
		assertFailedTest(attack, QUICK, "cos(0.0) == 1.0", "has no function load_cos()");
		assertThat(attack.output()).contains("daemons started", "daemons of the earlier step: gone")
			.doesNotContain("STILL RUNNING");
		// Both runs have ended: nothing of the lab may be left on the engine.
		assertThat(labContainers(INSTANCE)).as("containers of this lab right after the runs").isEmpty();
	}

	@Test
	void aProgramThatClosesItsStdoutAndStderrStillEndsByTheTimeout() {
		Attack attack = attack("closed stdout/stderr (C)", mymath("c-closed-streams"));
		assertLimit(attack, SHORT, "Time limit", "TIME_LIMIT");
		assertThat(attack.output()).contains("closing stdout and stderr, then running on");
		assertThat(failedTest(attack, "C: add").path("message").asString()).contains("time limit");
	}

	@Test
	void aLinkToAForgedProbeIsReplacedBeforeTheNextStep() {
		Attack attack = attack("forged probe link", cosine("forged-probe"));
		assertFailedTest(attack, QUICK, "cos(0.0) == 1.0", "Set cos.restype = ctypes.c_double.");
		assertThat(failedTest(attack, "argtypes and restype are declared").path("message").asString())
			.contains("restype is c_int");
		assertThat(attack.output()).contains("planted: probe_cosine.py -> /tmp/forged_probe.py",
				"probe_cosine.py is a link: False", "forged probe untouched: True")
			.doesNotContain("FORGED PROBE RAN");
	}

	@Test
	void aLockedFolderWhereTheProbeGoesIsClearedBeforeTheNextStep() {
		Attack attack = attack("locked folder", cosine("locked-folder"));
		assertFailedTest(attack, QUICK, "cos(0.0) == 1.0", "has no function load_cos()");
		assertThat(attack.output()).contains("locked a folder in place of probe_cosine.py",
				"probe_cosine.py is a file again: True");
	}

	@Test
	void aLinkFromTheProbeToEtcPasswdIsNotFollowed() {
		Attack attack = attack("link to /etc/passwd (C)", mymath("c-symlink"));
		assertThat(attack.took()).isLessThan(QUICK);
		// The constructor plants the link whenever the library loads: in both steps that load it,
		// so the harness replaced the first one (writing through it would have failed the check).
		assertThat(attack.output().split("planted /work/probe_mymath.py -> /etc/passwd", -1)).hasSize(3);
		assertThat(attack.verdict().path("status").asString()).as(attack.verdict().toString()).isEqualTo("pass");
	}

	@Test
	void fileNamesThatLeaveTheWorkDirectoryAreRefusedAndNothingIsStored() {
		long before = storedRuns();
		for (String name : List.of("../x", "/etc/x", "a/b", ".hidden", "..", "cosine.py/../../x", "..\\cosine.py",
				"cosine.py\u0000", "./cosine.py")) {
			var response = this.lab.post(LabClient.body(COSINE, "python", Map.of(name, "print(1)\n")));
			assertThat(response.statusCode()).as("file name %s: %s", name, response.body()).isEqualTo(400);
			assertThat(LabClient.json(response.body()).path("error").asString()).isNotBlank();
		}
		for (String[] taskAndTrack : new String[][] { { "../../etc/passwd", "python" }, { COSINE, "../python" },
				{ "/etc", "python" } }) {
			var response = this.lab.post(LabClient.body(taskAndTrack[0], taskAndTrack[1], Map.of("cosine.py", "print(1)\n")));
			assertThat(response.statusCode()).as("%s/%s: %s", taskAndTrack[0], taskAndTrack[1], response.body())
				.isEqualTo(404);
		}
		assertThat(storedRuns()).isEqualTo(before);
	}

	@Test
	void archiveEntriesThatLeaveTheWorkDirectoryAreRefusedByTheHarness() {
		Map<String, byte[]> archives = new HashMap<>();
		archives.put("student/../../tmp/escaped", HostileArchive.withFile("student/../../tmp/escaped"));
		archives.put("/etc/escaped", HostileArchive.withFile("/etc/escaped"));
		archives.put("support/../../escaped", HostileArchive.withFile("support/../../escaped"));
		archives.put("a link to /etc/passwd", HostileArchive.withLink("student/main.py.link", "/etc/passwd"));
		for (Map.Entry<String, byte[]> archive : archives.entrySet()) {
			var frames = new Frames();
			var request = new SandboxRequest(UUID.randomUUID().toString(), "python", List.of("ffilab-harness"),
					archive.getValue(), this.sandboxProperties.defaults());
			SandboxResult result = this.sandbox.run(request, frames::accept);
			frames.stream.finish();
			assertThat(result.exitCode()).as(archive.getKey()).isEqualTo(2);
			assertThat(frames.result).as(archive.getKey()).isNotNull();
			assertThat(frames.result.path("status").asString()).isEqualTo("error");
			assertThat(frames.result.path("message").asString()).as(archive.getKey())
				.containsAnyOf("unsafe name", "only files and folders");
			assertThat(frames.output).as("nothing ran").isEmpty();
		}
	}

	// -- helpers ------------------------------------------------------------------------------

	private Attack attack(String name, Submission hostile) {
		Track track = track(COSINE);
		Attack attack = Attack.carryOut(this.lab, name, hostile,
				new Submission(COSINE, track.id(), Map.copyOf(track.solution())));
		this.summaries.add(attack.summary());
		assertThat(attack.run().path("status").asString()).as("%s: %s", name, attack.run()).isEqualTo("FINISHED");
		return attack;
	}

	private Submission cosine(String hostileCase) {
		return new Submission(COSINE, "python", Map.of("cosine.py", resource(hostileCase + "/cosine.py")));
	}

	/** Task 2 with a hostile mymath.c and the reference binding. */
	private Submission mymath(String hostileCase) {
		Map<String, String> files = new HashMap<>(track(MYMATH).solution());
		files.put("mymath.c", resource(hostileCase + "/mymath.c"));
		return new Submission(MYMATH, "python", files);
	}

	private Track track(String task) {
		return this.catalog.find(task).orElseThrow().track("python").orElseThrow();
	}

	/** A failed run that a limit decided: its reason is {@code reason} and its message opens with the limit. */
	private static void assertLimit(Attack attack, Duration within, String headline, String reason) {
		JsonNode verdict = attack.verdict();
		assertThat(verdict.path("status").asString()).as(verdict.toString()).isEqualTo("fail");
		assertThat(verdict.path("reason").asString("")).as(verdict.toString()).isEqualTo(reason);
		assertThat(verdict.path("message").asString()).as(verdict.toString()).startsWith(headline);
		assertThat(attack.took()).as("%s took", attack.name()).isLessThan(within);
	}

	/** A failed run without a limit: the named test failed with a message that says why. */
	private static void assertFailedTest(Attack attack, Duration within, String test, String message) {
		JsonNode verdict = attack.verdict();
		assertThat(verdict.path("status").asString()).as(verdict.toString()).isEqualTo("fail");
		assertThat(verdict.path("reason").isString()).as(verdict.toString()).isFalse();
		assertThat(failedTest(attack, test).path("message").asString()).contains(message);
		assertThat(attack.took()).as("%s took", attack.name()).isLessThan(within);
	}

	private static JsonNode failedTest(Attack attack, String name) {
		for (JsonNode test : attack.verdict().path("tests")) {
			if (test.path("name").asString().equals(name)) {
				assertThat(test.path("status").asString()).as(test.toString()).isEqualTo("fail");
				return test;
			}
		}
		throw new AssertionError("No test '" + name + "' in " + attack.verdict());
	}

	private List<Container> labContainers(String instance) {
		return this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of("org.ffilab.instance=" + instance))
			.exec();
	}

	private long storedRuns() {
		return this.jdbc.sql("SELECT COUNT(*) FROM run").query(Long.class).single();
	}

	private static String resource(String path) {
		try {
			return new ClassPathResource("hostile/" + path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new AssertionError("Missing test resource hostile/" + path, ex);
		}
	}

	private static String pythonList(List<String> items) {
		return items.stream().map((item) -> "\"" + item.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
			.collect(Collectors.joining(", ", "[", "]"));
	}

	/** The host's own IPv4 addresses other than loopback: a container must not reach them either. */
	private static List<String> hostAddresses() throws IOException {
		List<String> addresses = new ArrayList<>();
		for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
			if (nic.isUp() && !nic.isLoopback()) {
				nic.inetAddresses()
					.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
					.forEach((address) -> addresses.add(address.getHostAddress()));
			}
		}
		return addresses;
	}

	/** The harness's frames of a run started directly on the sandbox. */
	private static final class Frames implements HarnessEvents {

		final HarnessStream stream = new HarnessStream(this);

		final StringBuilder output = new StringBuilder();

		JsonNode result;

		void accept(OutputChunk chunk) {
			if (chunk.stream() == OutputChunk.Stream.STDOUT) {
				this.stream.feed(chunk.data());
			}
		}

		@Override
		public void output(String text) {
			this.output.append(text);
		}

		@Override
		public void result(JsonNode result) {
			this.result = result;
		}

	}

}
