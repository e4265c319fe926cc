package org.ffilab.grading;

import java.util.List;
import java.util.stream.Stream;

import org.ffilab.grading.Verdict.TestResult;

/**
 * One verdict from the two stages of a track with a clean machine: the first stage (the build and
 * its tests) decides whether the second may start at all, and the second's tests join the first's.
 */
public final class StageVerdicts {

	/** Where the tests of the second stage go when it cannot run. */
	static final String GROUP = "Tests";

	private StageVerdicts() {
	}

	/**
	 * Why the second stage must not start after this first stage, in words that follow "Not run: ";
	 * null when it may.
	 * @param first the first stage's verdict
	 * @param handoverProblem why its files cannot be handed over, or null
	 */
	public static String whyNotRun(Verdict first, String handoverProblem) {
		if (first.reason() != null || Verdict.ERROR.equals(first.status())) {
			return "the first part of the run did not finish (see the headline), so nothing went to the clean machine.";
		}
		boolean buildFailed = first.tests()
			.stream()
			.anyMatch((test) -> "Build".equals(test.group()) && !Verdict.PASS.equals(test.status()));
		if (buildFailed) {
			return "the build did not succeed (see the Build tests), so there was nothing to try on a clean machine.";
		}
		if (handoverProblem != null) {
			return "the build's files could not be handed to the clean machine: " + handoverProblem + ".";
		}
		return null;
	}

	/** The second stage's verdict when it did not run: each of its tests failed as not run. */
	public static Verdict notRun(List<String> tests, String why) {
		List<TestResult> results = tests.stream()
			.map((name) -> new TestResult(name, Verdict.FAIL, "Not run: " + why, null, GROUP))
			.toList();
		return new Verdict(Verdict.FAIL, null, null, VerdictAssembler.groups(results), results, List.of(), List.of());
	}

	/**
	 * Both stages as one verdict. A limit or an error of the first stage keeps its headline; then
	 * one of the second's; otherwise the headline is counted again over all the tests, as the
	 * harness counts it for one stage.
	 */
	public static Verdict merge(Verdict first, Verdict second) {
		List<TestResult> tests = concat(first.tests(), second.tests());
		String status = worse(worse(first.status(), second.status()),
				tests.stream().allMatch((test) -> Verdict.PASS.equals(test.status())) ? Verdict.PASS : Verdict.FAIL);
		String message;
		Verdict.Reason reason;
		if (first.reason() != null || Verdict.ERROR.equals(first.status())) {
			message = first.message();
			reason = first.reason();
		}
		else if (second.reason() != null || Verdict.ERROR.equals(second.status())) {
			message = second.message();
			reason = second.reason();
		}
		else {
			message = headline(tests);
			reason = null;
		}
		return new Verdict(status, message, reason, VerdictAssembler.groups(tests), tests,
				concat(first.metrics(), second.metrics()), concat(first.findings(), second.findings()));
	}

	/** "All 15 tests passed." or "2 of 15 tests failed: a, b." (the harness's own wording). */
	static String headline(List<TestResult> tests) {
		List<String> failed = tests.stream()
			.filter((test) -> !Verdict.PASS.equals(test.status()))
			.map(TestResult::name)
			.toList();
		if (failed.isEmpty()) {
			return "All " + tests.size() + " tests passed.";
		}
		String names = String.join(", ", failed.subList(0, Math.min(5, failed.size())));
		String more = (failed.size() > 5) ? " and " + (failed.size() - 5) + " more" : "";
		return failed.size() + " of " + tests.size() + " tests failed: " + names + more + ".";
	}

	private static String worse(String a, String b) {
		return VerdictAssembler.worse(a, b);
	}

	private static <T> List<T> concat(List<T> a, List<T> b) {
		return Stream.concat(a.stream(), b.stream()).toList();
	}

}
