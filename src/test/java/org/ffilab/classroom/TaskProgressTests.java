package org.ffilab.classroom;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskProgressTests {

	private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");

	@Test
	void aPassIsKeptAsTheBestWhateverComesAfter() {
		TaskProgress cell = TaskProgress.first(7, "01-ctypes-cos", Outcome.FAIL, "r1", T0)
			.after(Outcome.PASS, "r2", T0.plusSeconds(60))
			.after(Outcome.ERROR, "r3", T0.plusSeconds(120))
			.after(Outcome.FAIL, "r4", T0.plusSeconds(180));
		assertThat(cell.best()).isEqualTo(Outcome.PASS);
		assertThat(cell.attempts()).isEqualTo(4);
		assertThat(cell.firstPassedAt()).isEqualTo(T0.plusSeconds(60));
		assertThat(cell.lastRunId()).isEqualTo("r4");
		assertThat(cell.lastOutcome()).isEqualTo(Outcome.FAIL);
		assertThat(cell.lastRunAt()).isEqualTo(T0.plusSeconds(180));
	}

	@Test
	void aFailBeatsAnError() {
		TaskProgress cell = TaskProgress.first(7, "t", Outcome.ERROR, "r1", T0).after(Outcome.FAIL, "r2", T0.plusSeconds(1));
		assertThat(cell.best()).isEqualTo(Outcome.FAIL);
		assertThat(cell.after(Outcome.ERROR, "r3", T0.plusSeconds(2)).best()).isEqualTo(Outcome.FAIL);
		assertThat(cell.firstPassedAt()).isNull();
	}

	@Test
	void aRunThatEndsLateButEndedEarlierDoesNotBecomeTheLastOne() {
		TaskProgress cell = TaskProgress.first(7, "t", Outcome.FAIL, "newer", T0.plusSeconds(30))
			.after(Outcome.PASS, "older", T0);
		assertThat(cell.lastRunId()).isEqualTo("newer");
		assertThat(cell.lastOutcome()).isEqualTo(Outcome.FAIL);
		assertThat(cell.firstPassedAt()).isEqualTo(T0);
		assertThat(cell.best()).isEqualTo(Outcome.PASS);
	}

	@Test
	void theFirstPassIsTheEarliestOne() {
		TaskProgress cell = TaskProgress.first(7, "t", Outcome.PASS, "r1", T0.plusSeconds(30))
			.after(Outcome.PASS, "r2", T0.plusSeconds(10))
			.after(Outcome.PASS, "r3", T0.plusSeconds(90));
		assertThat(cell.firstPassedAt()).isEqualTo(T0.plusSeconds(10));
	}

}
