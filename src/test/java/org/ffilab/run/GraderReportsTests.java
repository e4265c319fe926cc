package org.ffilab.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.ffilab.grading.ReportParsers;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.ffilab.grading.Verdict.Metric;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.Task;
import org.ffilab.task.TaskLevel;
import org.ffilab.task.Track;
import org.ffilab.task.TrackLimits;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A whole harness stream with report frames, through the grader, to the verdict. */
class GraderReportsTests {

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private static final SandboxProperties PROPERTIES = new SandboxProperties("unix:///var/run/docker.sock", "ffilab/",
			"1000:1000", 1, DataSize.ofMegabytes(512), 256, DataSize.ofMegabytes(64), Duration.ofSeconds(60),
			DataSize.ofMegabytes(1), 2, DataSize.ofGigabytes(2), 1024, DataSize.ofMegabytes(512),
			Duration.ofSeconds(300), DataSize.ofMegabytes(4));

	private final List<String> frames = new ArrayList<>();

	private final Sandbox sandbox = (request, output) -> {
		// Frames arrive in chunks that split lines, as they do from a container's stdout.
		byte[] stream = String.join("\n", this.frames).concat("\n").getBytes(StandardCharsets.UTF_8);
		for (int i = 0; i < stream.length; i += 777) {
			byte[] chunk = Arrays.copyOfRange(stream, i, Math.min(stream.length, i + 777));
			output.accept(new OutputChunk(OutputChunk.Stream.STDOUT, chunk));
		}
		return new SandboxResult(0, false, false, false, Duration.ofSeconds(3));
	};

	private final Grader grader = new Grader(new SandboxJobFactory(PROPERTIES, JSON), this.sandbox,
			new VerdictAssembler(), new ReportParsers());

	@Test
	void reportFramesBecomeFindingsAndMetricsBesideTheChecksOwn() {
		frame(Map.of("type", "output", "text", "$ clang -g -fsanitize=address -o uaf uaf.c\n"));
		report("asan", "no use after free", golden("asan/heap-use-after-free.txt"));
		report("valgrind", "no use after free", golden("valgrind/invalid-read.xml"));
		// The same log sent twice counts once.
		report("asan", "no use after free", golden("asan/heap-use-after-free.txt"));
		report("gobench", null, golden("gobench/count-3.txt"));
		report("auto", null, "nothing a parser knows\n");
		frame(Map.of("type", "result", "result", Map.of("version", 3, "status", "fail", "tests",
				List.of(Map.of("name", "no use after free", "status", "fail", "group", "Memory")), "findings",
				List.of(Map.of("tool", "asan", "kind", "use-after-free", "message", "p[1] read after free(p)", "frames",
						List.of(Map.of("file", "/work/uaf.c", "line", 12, "function", "bad")))),
				"metrics", List.of(Map.of("name", "BenchmarkCgoNoop", "value", 50.0, "unit", "ns/op")))));
		List<String> output = new ArrayList<>();

		Verdict verdict = grade(output::add);

		assertThat(output).containsExactly("$ clang -g -fsanitize=address -o uaf uaf.c\n");
		assertThat(verdict.status()).isEqualTo("fail");
		// The check's own finding stays (with the student's path and flag); the same error parsed from
		// the ASan log is a duplicate of it; Valgrind's view of the same bug is a finding of its own.
		assertThat(verdict.findings()).extracting(Finding::tool, Finding::kind)
			.containsExactly(tuple("asan", "use-after-free"),
					tuple("valgrind", "use-after-free"));
		assertThat(verdict.findings().get(0).message()).isEqualTo("p[1] read after free(p)");
		assertThat(verdict.findings().get(0).frames()).containsExactly(new Frame("uaf.c", 12, "bad", true));
		assertThat(verdict.findings().get(1).frames().getFirst()).isEqualTo(new Frame("uaf.c", 12, "bad", true));
		assertThat(verdict.metrics()).hasSize(10).first().isEqualTo(new Metric("BenchmarkCgoNoop", 50.0, "ns/op", true));
		assertThat(verdict.metrics()).contains(new Metric("BenchmarkSum", 45.17, "MB/s", false));
	}

	@Test
	void reportsCountEvenWhenTheCheckDiedBeforeItsResult() {
		report("lsan", "no leak", golden("lsan/leaks.txt"));
		frame(Map.of("type", "output", "text", "Traceback (most recent call last): ...\n"));

		Verdict verdict = grade((text) -> {
		});

		assertThat(verdict.status()).isEqualTo("error");
		assertThat(verdict.reason()).isEqualTo(Verdict.Reason.CRASH);
		assertThat(verdict.findings()).hasSize(4).extracting(Finding::kind).containsOnly("leak");
		assertThat(verdict.findings()).extracting(Finding::bytes).containsExactly(16L, 5L, 16L, 10L);
	}

	private Verdict grade(Consumer<String> output) {
		Track track = new Track("c", "C", "base", List.of("uaf.c", "leak.c"), new TrackLimits(null, null, null, null),
				Map.of("uaf.c", ""), Map.of("harness.c", new byte[0]), new byte[0], Map.of(), List.of());
		Task task = new Task("99-test", 99, "Test", TaskLevel.CORE, "", List.of(), List.of(), Map.of("c", track));
		return this.grader.grade("run-1", task, track, Map.of("uaf.c", "int main(void) { return 0; }\n"), output);
	}

	private void report(String tool, String test, String text) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "report");
		frame.put("tool", tool);
		frame.put("test", test);
		frame.put("text", text);
		frame(frame);
	}

	private void frame(Map<String, ?> frame) {
		this.frames.add(JSON.writeValueAsString(frame));
	}

	private static String golden(String path) {
		try (InputStream in = GraderReportsTests.class.getResourceAsStream("/reports/" + path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
