package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.GroupResult;
import org.ffilab.grading.Verdict.Metric;
import org.ffilab.grading.Verdict.Reason;
import org.ffilab.grading.Verdict.TestResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StageVerdictsTests {

	private static final String CLEAN = "installs and imports on a clean machine (no compiler)";

	@Test
	void aPassingBuildMayGoOnToTheCleanMachine() {
		assertThat(StageVerdicts.whyNotRun(verdict("pass", null, test("builds", "pass", "Build")), null)).isNull();
		// A failed test outside the Build group does not stop it: the wheel is still worth installing.
		assertThat(StageVerdicts.whyNotRun(
				verdict("fail", null, test("builds", "pass", "Build"), test("no leak", "fail", "Memory")), null))
			.isNull();
	}

	@Test
	void aFailedBuildALimitAnErrorOrAFailedHandoverStopIt() {
		assertThat(StageVerdicts.whyNotRun(verdict("fail", null, test("repair", "fail", "Build")), null))
			.isEqualTo("the build did not succeed (see the Build tests), so there was nothing to try on a clean machine.");
		assertThat(StageVerdicts.whyNotRun(verdict("fail", Reason.TIME_LIMIT, test("builds", "pass", "Build")), null))
			.startsWith("the first part of the run did not finish");
		assertThat(StageVerdicts.whyNotRun(verdict("error", null, test("builds", "pass", "Build")), null))
			.startsWith("the first part of the run did not finish");
		assertThat(StageVerdicts.whyNotRun(verdict("pass", null, test("builds", "pass", "Build")), "it was too big"))
			.isEqualTo("the build's files could not be handed to the clean machine: it was too big.");
	}

	@Test
	void bothStagesPassingIsOnePassCountedOverAllTests() {
		Verdict first = new Verdict("pass", "All 2 tests passed.", null, List.of(),
				List.of(test("builds", "pass", "Build"), test("works", "pass", "Tests")),
				List.of(new Metric("compress", 30, "ms", true)), List.of());
		Verdict second = verdict("pass", null, test(CLEAN, "pass", "Tests"));

		Verdict merged = StageVerdicts.merge(first, second);

		assertThat(merged.status()).isEqualTo("pass");
		assertThat(merged.message()).isEqualTo("All 3 tests passed.");
		assertThat(merged.reason()).isNull();
		assertThat(merged.tests()).extracting(TestResult::name).containsExactly("builds", "works", CLEAN);
		assertThat(merged.groups()).containsExactly(new GroupResult("Build", "pass"), new GroupResult("Tests", "pass"));
		assertThat(merged.metrics()).extracting(Metric::name).containsExactly("compress");
	}

	@Test
	void aFailureOnTheCleanMachineFailsTheRunAndIsNamed() {
		Verdict first = verdict("fail", null, test("builds", "pass", "Build"), test("no leak", "fail", "Memory"));
		Verdict second = new Verdict("fail", "1 of 1 tests failed: " + CLEAN + ".", null, List.of(),
				List.of(test(CLEAN, "fail", "Tests")), List.of(),
				List.of(new Finding("lsan", "leak", "x", List.of())));

		Verdict merged = StageVerdicts.merge(first, second);

		assertThat(merged.status()).isEqualTo("fail");
		assertThat(merged.message()).isEqualTo("2 of 3 tests failed: no leak, " + CLEAN + ".");
		assertThat(merged.groups()).containsExactly(new GroupResult("Build", "pass"), new GroupResult("Tests", "fail"),
				new GroupResult("Memory", "fail"));
		assertThat(merged.findings()).hasSize(1);
	}

	@Test
	void theFirstStagesLimitKeepsItsHeadlineAndTheCleanMachineIsListedAsNotRun() {
		Verdict first = new Verdict("fail", "Time limit: `python3 -m build` was stopped.", Reason.TIME_LIMIT, List.of(),
				List.of(test("builds", "pass", "Build")), List.of(), List.of());

		Verdict merged = StageVerdicts.merge(first,
				StageVerdicts.notRun(List.of(CLEAN), StageVerdicts.whyNotRun(first, null)));

		assertThat(merged.reason()).isEqualTo(Reason.TIME_LIMIT);
		assertThat(merged.message()).isEqualTo("Time limit: `python3 -m build` was stopped.");
		assertThat(merged.tests()).last().satisfies((test) -> {
			assertThat(test.name()).isEqualTo(CLEAN);
			assertThat(test.status()).isEqualTo("fail");
			assertThat(test.group()).isEqualTo("Tests");
			assertThat(test.message()).startsWith("Not run: the first part of the run did not finish");
		});
	}

	@Test
	void aLimitOrAnErrorOnTheCleanMachineLeadsTheHeadline() {
		Verdict first = verdict("pass", null, test("builds", "pass", "Build"));
		Verdict second = new Verdict("fail", "Time limit: `pip install` was stopped.", Reason.TIME_LIMIT, List.of(),
				List.of(test(CLEAN, "fail", "Tests")), List.of(), List.of());
		Verdict merged = StageVerdicts.merge(first, second);
		assertThat(merged.reason()).isEqualTo(Reason.TIME_LIMIT);
		assertThat(merged.message()).isEqualTo("Time limit: `pip install` was stopped.");

		Verdict broken = new Verdict("error", "The check itself failed (RuntimeError).", null, List.of(), List.of(),
				List.of(), List.of());
		assertThat(StageVerdicts.merge(first, broken).status()).isEqualTo("error");
		assertThat(StageVerdicts.merge(first, broken).message()).isEqualTo("The check itself failed (RuntimeError).");
	}

	@Test
	void theHeadlineNamesFiveFailedTestsAtMost() {
		List<TestResult> tests = List.of(test("a", "fail", "Tests"), test("b", "fail", "Tests"),
				test("c", "fail", "Tests"), test("d", "fail", "Tests"), test("e", "fail", "Tests"),
				test("f", "fail", "Tests"), test("g", "fail", "Tests"), test("h", "pass", "Tests"));
		assertThat(StageVerdicts.headline(tests)).isEqualTo("7 of 8 tests failed: a, b, c, d, e and 2 more.");
	}

	private static Verdict verdict(String status, Reason reason, TestResult... tests) {
		return new Verdict(status, null, reason, VerdictAssembler.groups(List.of(tests)), List.of(tests), List.of(),
				List.of());
	}

	private static TestResult test(String name, String status, String group) {
		return new TestResult(name, status, null, null, group);
	}

}
