package org.ffilab.grading;

import java.util.List;

/**
 * What a run earned, as the student sees it.
 *
 * @param status pass, fail, or error (no test could run)
 * @param message the headline's explanation, if any
 * @param reason the limit or failure that ended the run early, if any
 * @param groups one status per group (Build, Tests, Memory, Threads, Performance) that had tests
 * @param tests every named check
 * @param metrics benchmark numbers
 * @param findings memory and thread errors the tools found
 */
public record Verdict(String status, String message, Reason reason, List<GroupResult> groups, List<TestResult> tests,
		List<Metric> metrics, List<Finding> findings) {

	public static final String PASS = "pass";

	public static final String FAIL = "fail";

	public static final String ERROR = "error";

	public boolean passed() {
		return PASS.equals(this.status);
	}

	/** Why a run ended before its check could finish. */
	public enum Reason {

		TIME_LIMIT, MEMORY_LIMIT, OUTPUT_LIMIT, PROCESS_LIMIT, DISK_LIMIT, CRASH, INFRASTRUCTURE

	}

	public record GroupResult(String name, String status) {
	}

	public record TestResult(String name, String status, String message, String output, String group) {
	}

	public record Metric(String name, double value, String unit, boolean lowerIsBetter) {
	}

	/**
	 * @param tool the tool that found it (asan, lsan, tsan, ubsan, valgrind, gorace, cgocheck, go, hotspot, gdb, ...)
	 * @param kind one of the stable kinds of docs/architecture.md ("Finding kinds")
	 * @param message what the tool said, in the student's paths
	 * @param frames the stack, innermost first
	 * @param bytes the bytes leaked, for a leak; otherwise null
	 */
	public record Finding(String tool, String kind, String message, List<Frame> frames, Long bytes) {

		public Finding(String tool, String kind, String message, List<Frame> frames) {
			this(tool, kind, message, frames, null);
		}

	}

	public record Frame(String file, Integer line, String function, boolean student) {
	}

}
