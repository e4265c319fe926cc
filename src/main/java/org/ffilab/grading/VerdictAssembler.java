package org.ffilab.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ffilab.grading.Verdict.GroupResult;
import org.ffilab.grading.Verdict.Reason;
import org.ffilab.grading.Verdict.TestResult;
import org.ffilab.sandbox.SandboxResult;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Turns how the sandbox ended and what the harness reported into a verdict. A limit the run hit
 * always decides the headline, with its own plain reason, even when the check reported something.
 */
@Component
public class VerdictAssembler {

	/** The order the groups are shown in. */
	static final List<String> GROUPS = List.of("Build", "Tests", "Memory", "Threads", "Performance");

	/**
	 * @param result the harness's result, or null when none arrived
	 * @param sandbox how the container ended
	 */
	public Verdict assemble(JsonNode result, SandboxResult sandbox) {
		return assemble(result, ToolReports.none(), sandbox);
	}

	/**
	 * @param result the harness's result, or null when none arrived
	 * @param reports what the run's tool reports said: merged with the result's findings and metrics
	 * @param sandbox how the container ended
	 */
	public Verdict assemble(JsonNode result, ToolReports reports, SandboxResult sandbox) {
		List<TestResult> tests = (result != null) ? ResultReader.tests(result) : List.of();
		var metrics = VerdictMerge.metrics((result != null) ? ResultReader.metrics(result) : List.of(),
				reports.metrics());
		var findings = VerdictMerge.findings((result != null) ? ResultReader.findings(result) : List.of(),
				reports.findings(), reports.files());
		List<GroupResult> groups = groups(tests);
		if (sandbox.timedOut()) {
			return new Verdict(Verdict.FAIL, "Time limit: the run was stopped after "
					+ sandbox.elapsed().toSeconds() + " s. Look for an endless loop, a deadlock or a thread that never ends.",
					Reason.TIME_LIMIT, groups, tests, metrics, findings);
		}
		// Before the engine's OOM flag, which only says that some process died of memory at some point.
		Reason harnessLimit = (result != null && result.isObject()) ? ResultReader.limit(result) : null;
		if (harnessLimit != null && !ResultReader.status(result).equals(Verdict.PASS)) {
			return new Verdict(ResultReader.status(result),
					ResultReader.text(result, "message", ResultReader.MAX_MESSAGE, null), harnessLimit, groups, tests,
					metrics, findings);
		}
		if (sandbox.oomKilled()) {
			return new Verdict(Verdict.FAIL,
					"Memory limit: the run used all the memory it is allowed (files in /work and /tmp count too) and was killed.",
					Reason.MEMORY_LIMIT, groups, tests, metrics, findings);
		}
		if (sandbox.outputTruncated()) {
			return new Verdict(Verdict.FAIL, "Output limit: the run printed far more than it is allowed and was stopped.",
					Reason.OUTPUT_LIMIT, groups, tests, metrics, findings);
		}
		if (result == null || !result.isObject()) {
			return new Verdict(Verdict.ERROR, "The check ended without a result (exit code " + sandbox.exitCode()
					+ "). The raw output may say why.", Reason.CRASH, groups, tests, metrics, findings);
		}
		String message = ResultReader.text(result, "message", ResultReader.MAX_MESSAGE, null);
		return new Verdict(ResultReader.status(result), message, null, groups, tests, metrics, findings);
	}

	/** The verdict of a run the sandbox could not carry out at all. */
	public Verdict infrastructureError(String message) {
		return new Verdict(Verdict.ERROR, message, Reason.INFRASTRUCTURE, List.of(), List.of(), List.of(), List.of());
	}

	static List<GroupResult> groups(List<TestResult> tests) {
		Map<String, String> status = new LinkedHashMap<>();
		for (String group : GROUPS) {
			for (TestResult test : tests) {
				if (group.equals(test.group())) {
					status.merge(group, test.status(), VerdictAssembler::worse);
				}
			}
		}
		for (TestResult test : tests) {
			if (!GROUPS.contains(test.group())) {
				status.merge(test.group(), test.status(), VerdictAssembler::worse);
			}
		}
		List<GroupResult> groups = new ArrayList<>();
		status.forEach((name, value) -> groups.add(new GroupResult(name, value)));
		return groups;
	}

	static String worse(String a, String b) {
		if (a.equals(Verdict.ERROR) || b.equals(Verdict.ERROR)) {
			return Verdict.ERROR;
		}
		return (a.equals(Verdict.FAIL) || b.equals(Verdict.FAIL)) ? Verdict.FAIL : Verdict.PASS;
	}

}
