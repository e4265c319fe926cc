package org.ffilab.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.ffilab.grading.ReportParsers;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.Verdict.TestResult;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.CleanMachine;
import org.ffilab.task.Task;
import org.ffilab.task.TaskLevel;
import org.ffilab.task.Track;
import org.ffilab.task.TrackLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/** A track with a clean machine: two containers, the files handed across, one verdict. */
class GraderStagesTests {

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private static final String CLEAN = "installs and imports on a clean machine (no compiler)";

	private static final SandboxProperties PROPERTIES = new SandboxProperties("unix:///var/run/docker.sock", "ffilab/",
			"1000:1000", 1, DataSize.ofMegabytes(512), 256, DataSize.ofMegabytes(64), Duration.ofSeconds(60),
			DataSize.ofMegabytes(1), 2, DataSize.ofGigabytes(2), 1024, DataSize.ofMegabytes(512),
			Duration.ofSeconds(300), DataSize.ofMegabytes(4));

	private final Map<String, List<Object>> framesByImage = new LinkedHashMap<>();

	private final List<SandboxRequest> requests = new ArrayList<>();

	private final Sandbox sandbox = (request, output) -> {
		this.requests.add(request);
		StringBuilder stream = new StringBuilder();
		for (Object frame : this.framesByImage.getOrDefault(request.image(), List.of())) {
			stream.append(JSON.writeValueAsString(frame)).append('\n');
		}
		output.accept(new OutputChunk(OutputChunk.Stream.STDOUT, stream.toString().getBytes(StandardCharsets.UTF_8)));
		return new SandboxResult(0, false, false, false, Duration.ofSeconds(1));
	};

	private final Grader grader = new Grader(new SandboxJobFactory(PROPERTIES, JSON), this.sandbox,
			new VerdictAssembler(), new ReportParsers());

	@Test
	void theBuildsFilesGoToASecondContainerAndBothStagesMakeOneVerdict() {
		this.framesByImage.put("python", List.of(output("$ python3 -m build\n"),
				artifact("wheelhouse/z.whl", "the wheel"), summary(1, null),
				result("pass", test("wheel builds", "pass", "Build"), test("round trip", "pass", "Tests"))));
		this.framesByImage.put("python-runtime",
				List.of(output("$ pip install wheelhouse/z.whl\n"), result("pass", test(CLEAN, "pass", "Tests"))));
		List<String> output = new ArrayList<>();

		Verdict verdict = grade(output::add);

		assertThat(verdict.status()).isEqualTo("pass");
		assertThat(verdict.message()).isEqualTo("All 3 tests passed.");
		assertThat(verdict.tests()).extracting(TestResult::name).containsExactly("wheel builds", "round trip", CLEAN);
		assertThat(this.requests).extracting(SandboxRequest::image).containsExactly("python", "python-runtime");
		assertThat(output).hasSize(3);
		assertThat(output.get(0)).isEqualTo("$ python3 -m build\n");
		assertThat(output.get(1)).contains("Clean machine").contains("python-runtime").contains("wheelhouse/z.whl (9 bytes)");
		assertThat(output.get(2)).isEqualTo("$ pip install wheelhouse/z.whl\n");

		// The first job asks for wheelhouse; the second holds the clean check and the wheel, and no
		// student source or support file.
		JsonNode firstJob = JSON.readTree(entries(this.requests.get(0)).get("job.json"));
		assertThat(firstJob.path("collect").toString()).isEqualTo("[\"wheelhouse\"]");
		assertThat(firstJob.path("collectLimitBytes").asInt()).isEqualTo(16 * 1024 * 1024);
		assertThat(this.requests.get(0).collectBytes()).isEqualTo(16 * 1024 * 1024);
		Map<String, String> second = entries(this.requests.get(1));
		assertThat(second).containsOnlyKeys("job.json", "check.py", "artifacts/wheelhouse/z.whl");
		assertThat(second.get("check.py")).isEqualTo("# clean check\n");
		assertThat(second.get("artifacts/wheelhouse/z.whl")).isEqualTo("the wheel");
		assertThat(JSON.readTree(second.get("job.json")).path("stage").asString()).isEqualTo("cleanMachine");
		assertThat(JSON.readTree(second.get("job.json")).has("collect")).isFalse();
	}

	@Test
	void theRunsTimesCoverBothContainers() {
		this.framesByImage.put("python", List.of(artifact("wheelhouse/z.whl", "w"), summary(1, null),
				result("pass", test("wheel builds", "pass", "Build"))));
		this.framesByImage.put("python-runtime", List.of(result("pass", test(CLEAN, "pass", "Tests"))));

		Graded graded = this.grader.gradeTimed("run-1", task(), task().tracks().get("python"),
				Map.of("zpack.c", "int x;\n"), (text) -> {
				});

		assertThat(graded.verdict().passed()).isTrue();
		assertThat(graded.execution()).isEqualTo(Duration.ofSeconds(2));
		assertThat(graded.outputTruncated()).isFalse();
	}

	@Test
	void aFailureOnTheCleanMachineFailsTheRun() {
		this.framesByImage.put("python", List.of(artifact("wheelhouse/z.whl", "w"), summary(1, null),
				result("pass", test("wheel builds", "pass", "Build"))));
		this.framesByImage.put("python-runtime", List.of(result("fail", test(CLEAN, "fail", "Tests"))));

		Verdict verdict = grade((text) -> {
		});

		assertThat(verdict.status()).isEqualTo("fail");
		assertThat(verdict.message()).isEqualTo("1 of 2 tests failed: " + CLEAN + ".");
	}

	@Test
	void aFailedBuildStartsNoSecondContainerAndListsItsTestAsNotRun() {
		this.framesByImage.put("python", List.of(summary(0, null),
				result("fail", test("wheel builds", "fail", "Build"), test("round trip", "pass", "Tests"))));

		Verdict verdict = grade((text) -> {
		});

		assertThat(this.requests).extracting(SandboxRequest::image).containsExactly("python");
		assertThat(verdict.status()).isEqualTo("fail");
		assertThat(verdict.message()).isEqualTo("2 of 3 tests failed: wheel builds, " + CLEAN + ".");
		assertThat(verdict.tests().get(2).message()).isEqualTo(
				"Not run: the build did not succeed (see the Build tests), so there was nothing to try on a clean machine.");
	}

	@Test
	void aHandoverOverTheCapStartsNoSecondContainer() {
		this.framesByImage.put("python", List.of(summary(0, "the files to hand over (wheelhouse) add up to 17 MiB"),
				result("pass", test("wheel builds", "pass", "Build"))));

		Verdict verdict = grade((text) -> {
		});

		assertThat(this.requests).hasSize(1);
		assertThat(verdict.status()).isEqualTo("fail");
		assertThat(verdict.tests().get(1).message()).isEqualTo("Not run: the build's files could not be handed to the "
				+ "clean machine: the files to hand over (wheelhouse) add up to 17 MiB.");
	}

	@Test
	void aTrackWithoutACleanMachineRunsOneContainerAndCollectsNothing() {
		this.framesByImage.put("python", List.of(result("pass", test("works", "pass", "Tests"))));
		Track track = new Track("python", "Python", "python", List.of("zpack.c"), new TrackLimits(null, null, null, null),
				Map.of("zpack.c", ""), Map.of(), "# check\n".getBytes(StandardCharsets.UTF_8), Map.of(), List.of());
		Task task = new Task("99-test", 99, "Test", TaskLevel.CORE, "", List.of(), List.of(), Map.of("python", track));

		Verdict verdict = this.grader.grade("run-1", task, track, Map.of("zpack.c", "int x;\n"), (text) -> {
		});

		assertThat(verdict.message()).isNull();
		assertThat(this.requests).hasSize(1);
		assertThat(this.requests.get(0).collectBytes()).isZero();
		assertThat(JSON.readTree(entries(this.requests.get(0)).get("job.json")).has("collect")).isFalse();
	}

	private Verdict grade(java.util.function.Consumer<String> output) {
		Task task = task();
		return this.grader.grade("run-1", task, task.tracks().get("python"), Map.of("zpack.c", "int x;\n"), output);
	}

	private static Task task() {
		var clean = new CleanMachine("python-runtime", List.of("wheelhouse"),
				"# clean check\n".getBytes(StandardCharsets.UTF_8), List.of(CLEAN), new TrackLimits(30, null, null, null));
		Track track = new Track("python", "Python", "python", List.of("zpack.c"), new TrackLimits(null, null, null, null),
				Map.of("zpack.c", ""), Map.of("driver.py", new byte[0]), "# check\n".getBytes(StandardCharsets.UTF_8),
				Map.of(), List.of(), clean);
		return new Task("99-test", 99, "Test", TaskLevel.CORE, "", List.of(), List.of(), Map.of("python", track));
	}

	private static Map<String, String> entries(SandboxRequest request) {
		Map<String, String> entries = new LinkedHashMap<>();
		try (var tar = new TarArchiveInputStream(new ByteArrayInputStream(request.stdin()))) {
			TarArchiveEntry entry;
			while ((entry = tar.getNextEntry()) != null) {
				entries.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return entries;
	}

	private static Map<String, Object> output(String text) {
		return Map.of("type", "output", "text", text);
	}

	private static Map<String, Object> artifact(String path, String content) {
		byte[] data = content.getBytes(StandardCharsets.UTF_8);
		return Map.of("type", "artifact", "path", path, "mode", 0644, "size", data.length, "offset", 0, "data",
				Base64.getEncoder().encodeToString(data));
	}

	private static Map<String, Object> summary(int files, String error) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("type", "artifacts");
		summary.put("files", files);
		summary.put("passedOver", List.of());
		summary.put("error", error);
		return summary;
	}

	private static Map<String, Object> result(String status, Map<?, ?>... tests) {
		return Map.of("type", "result", "result", Map.of("version", 3, "status", status, "tests", List.of(tests)));
	}

	private static Map<String, Object> test(String name, String status, String group) {
		return Map.of("name", name, "status", status, "group", group);
	}

}
