package org.ffilab.classroom;

import java.time.Instant;

import org.ffilab.run.RunEnded;
import org.ffilab.run.RunStatus;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class GradedRunTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant AT = Instant.parse("2026-05-04T10:00:00Z");

	@Test
	void aPassKeepsItsMetricsAndTheKindsOfItsFindings() {
		GradedRun run = graded(RunStatus.FINISHED, """
				{"status":"pass","metrics":[{"name":"call overhead","value":47.5,"unit":"ns/op","lowerIsBetter":true},
				{"name":"throughput","value":12,"unit":"MB/s","lowerIsBetter":false},{"name":"call overhead","value":99}],
				"findings":[{"tool":"lsan","kind":"leak"},{"tool":"valgrind","kind":"leak"}]}""");
		assertThat(run.outcome()).isEqualTo(Outcome.PASS);
		assertThat(run.findingKinds()).containsExactly("leak");
		assertThat(run.metrics()).containsExactly(new GradedRun.Metric("call overhead", 47.5, "ns/op", true),
				new GradedRun.Metric("throughput", 12, "MB/s", false));
	}

	@Test
	void aFailKeepsItsFindingsButNotItsMetrics() {
		GradedRun run = graded(RunStatus.FINISHED, """
				{"status":"fail","metrics":[{"name":"x","value":1,"unit":"s"}],
				"findings":[{"kind":"double-free"},{"kind":"use-after-free"},{"kind":""},{"tool":"asan"}]}""");
		assertThat(run.outcome()).isEqualTo(Outcome.FAIL);
		assertThat(run.findingKinds()).containsExactly("double-free", "use-after-free");
		assertThat(run.metrics()).isEmpty();
	}

	@Test
	void aRunTheLabCouldNotCarryOutIsAnError() {
		assertThat(graded(RunStatus.ERROR, "{\"status\":\"error\"}").outcome()).isEqualTo(Outcome.ERROR);
		assertThat(graded(RunStatus.ERROR, null).outcome()).isEqualTo(Outcome.ERROR);
		assertThat(graded(RunStatus.FINISHED, "{\"status\":\"error\"}").outcome()).isEqualTo(Outcome.ERROR);
	}

	@Test
	void anUnreadableVerdictIsAnErrorWithNothingElse() {
		GradedRun run = graded(RunStatus.FINISHED, "{not json");
		assertThat(run.outcome()).isEqualTo(Outcome.ERROR);
		assertThat(run.findingKinds()).isEmpty();
		assertThat(run.metrics()).isEmpty();
	}

	private static GradedRun graded(RunStatus status, String verdict) {
		return GradedRun.of(new RunEnded("r1", 7L, "10-heap-ownership", "python", status, verdict, AT), JSON);
	}

}
