package org.ffilab.grading;

import java.time.Duration;
import java.util.List;

import org.ffilab.grading.Verdict.Reason;
import org.ffilab.sandbox.SandboxResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictAssemblerTests {

	private final VerdictAssembler assembler = new VerdictAssembler();

	private static final SandboxResult CLEAN = new SandboxResult(0, false, false, false, Duration.ofSeconds(2));

	@Test
	void passingResultKeepsTestsGroupsAndMetrics() {
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"pass","tests":[
				  {"name":"compiles","status":"pass","group":"Build"},
				  {"name":"add(2, 3) == 5","status":"pass","group":"Tests"}],
				 "metrics":[{"name":"cgo call","value":48.5,"unit":"ns/op","lowerIsBetter":true},{"name":"bad","value":"x"}]}
				"""), CLEAN);
		assertThat(verdict.status()).isEqualTo("pass");
		assertThat(verdict.reason()).isNull();
		assertThat(verdict.groups()).extracting(Verdict.GroupResult::name).containsExactly("Build", "Tests");
		assertThat(verdict.metrics()).singleElement().extracting(Verdict.Metric::value).isEqualTo(48.5);
	}

	@Test
	void groupFailsWhenAnyOfItsTestsFails() {
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"fail","tests":[
				  {"name":"no leak","status":"fail","group":"Memory","message":"leak of 6 bytes"},
				  {"name":"no invalid free","status":"pass","group":"Memory"},
				  {"name":"greeting","status":"pass"}]}
				"""), CLEAN);
		assertThat(verdict.groups()).containsExactly(new Verdict.GroupResult("Tests", "pass"),
				new Verdict.GroupResult("Memory", "fail"));
	}

	@Test
	void timeLimitDecidesTheHeadline() {
		var timedOut = new SandboxResult(137, true, false, false, Duration.ofSeconds(60));
		Verdict verdict = this.assembler.assemble(null, timedOut);
		assertThat(verdict.status()).isEqualTo("fail");
		assertThat(verdict.reason()).isEqualTo(Reason.TIME_LIMIT);
		assertThat(verdict.message()).contains("60 s");
	}

	@Test
	void memoryLimitHasItsOwnReason() {
		var oom = new SandboxResult(137, false, true, false, Duration.ofSeconds(3));
		assertThat(this.assembler.assemble(json("{\"status\":\"pass\"}"), oom).reason()).isEqualTo(Reason.MEMORY_LIMIT);
	}

	@Test
	void missingResultIsAnErrorNotAPass() {
		Verdict verdict = this.assembler.assemble(null, new SandboxResult(1, false, false, false, Duration.ZERO));
		assertThat(verdict.status()).isEqualTo("error");
		assertThat(verdict.reason()).isEqualTo(Reason.CRASH);
	}

	@Test
	void unknownStatusesBecomeErrors() {
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"PASSED!","tests":[{"name":"t","status":"ok"}]}"""), CLEAN);
		assertThat(verdict.status()).isEqualTo("error");
		assertThat(verdict.tests()).singleElement().extracting(Verdict.TestResult::status).isEqualTo("error");
	}

	@Test
	void reportFindingsJoinTheResultsWithoutDuplicates() {
		ToolReports reports = new ReportParsers().forRun(List.of("leak.c"), List.of());
		reports.add("lsan", GoldenReports.read("lsan/leaks.txt"));
		reports.add("metrics", "METRIC name=rss value=12 unit=MiB\nMETRIC name=time value=9 unit=s\n");
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"fail","tests":[{"name":"no leak","status":"fail","group":"Memory"}],
				 "findings":[{"tool":"lsan","kind":"leak","message":"16 bytes leaked in push","bytes":16,
				              "frames":[{"file":"/work/leak.c","line":7,"function":"push"}]}],
				 "metrics":[{"name":"time","value":1.5,"unit":"s"}]}
				"""), reports, CLEAN);
		// The check's leak is at the place of the report's first leak (and of its third, an indirect
		// one at the same line): both are dropped; the other two are new.
		assertThat(verdict.findings()).extracting(Verdict.Finding::message)
			.containsExactly("16 bytes leaked in push", "Direct leak of 5 bytes in 1 object",
					"Indirect leak of 10 bytes in 2 objects");
		assertThat(verdict.findings().getFirst().frames()).containsExactly(new Verdict.Frame("leak.c", 7, "push", true));
		assertThat(verdict.findings().getFirst().bytes()).isEqualTo(16L);
		assertThat(verdict.metrics()).containsExactly(new Verdict.Metric("time", 1.5, "s", true),
				new Verdict.Metric("rss", 12, "MiB", true));
	}

	@Test
	void verdictsWithLeakBytesSurviveJson() {
		var mapper = JsonMapper.builder().build();
		Verdict verdict = new Verdict("fail", null, null, List.of(), List.of(), List.of(),
				List.of(new Verdict.Finding("lsan", "leak", "Direct leak of 5 bytes in 1 object",
						List.of(new Verdict.Frame("leak.c", 8, "push", true)), 5L),
						new Verdict.Finding("asan", "double-free", "x", List.of())));
		String text = mapper.writeValueAsString(verdict);
		assertThat(text).contains("\"bytes\":5").contains("\"bytes\":null");
		assertThat(mapper.readValue(text, Verdict.class)).isEqualTo(verdict);
	}

	@Test
	void theLimitTheHarnessNamesGivesTheReason() {
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"fail","message":"Time limit: `python3 cosine.py` was stopped after 10.8 s.",
				 "limit":{"kind":"time","step":"run"},"tests":[{"name":"t","status":"fail"}]}"""), CLEAN);
		assertThat(verdict.reason()).isEqualTo(Reason.TIME_LIMIT);
		assertThat(verdict.message()).startsWith("Time limit:");
	}

	@Test
	void harnessLimitWinsOverTheEnginesOomFlag() {
		var oom = new SandboxResult(0, false, true, false, Duration.ofSeconds(3));
		Verdict verdict = this.assembler.assemble(json("""
				{"status":"fail","limit":{"kind":"processes"},"tests":[{"name":"t","status":"fail"}]}"""), oom);
		assertThat(verdict.reason()).isEqualTo(Reason.PROCESS_LIMIT);
	}

	@Test
	void diskAndOutputLimitsHaveTheirReasonsButAPassStaysAPass() {
		assertThat(this.assembler.assemble(json("{\"status\":\"fail\",\"limit\":{\"kind\":\"disk\"}}"), CLEAN).reason())
			.isEqualTo(Reason.DISK_LIMIT);
		assertThat(this.assembler.assemble(json("{\"status\":\"fail\",\"limit\":{\"kind\":\"output\"}}"), CLEAN).reason())
			.isEqualTo(Reason.OUTPUT_LIMIT);
		assertThat(this.assembler.assemble(json("{\"status\":\"pass\",\"limit\":{\"kind\":\"time\"}}"), CLEAN).reason())
			.isNull();
	}

	private static JsonNode json(String text) {
		return JsonMapper.builder().build().readTree(text);
	}

}
