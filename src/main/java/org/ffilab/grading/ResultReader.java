package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.ffilab.grading.Verdict.Metric;
import org.ffilab.grading.Verdict.TestResult;
import tools.jackson.databind.JsonNode;

/**
 * Reads the harness's result defensively: unknown statuses become errors, lists and strings are
 * capped, and missing fields get safe defaults, so a malformed result can never break a page.
 */
final class ResultReader {

	static final int MAX_ITEMS = 200;

	static final int MAX_MESSAGE = 8 * 1024;

	static final int MAX_OUTPUT = 64 * 1024;

	private ResultReader() {
	}

	static String status(JsonNode result) {
		String status = result.path("status").asString("");
		return switch (status) {
			case Verdict.PASS, Verdict.FAIL, Verdict.ERROR -> status;
			default -> Verdict.ERROR;
		};
	}

	/**
	 * The limit the harness says decided a failed run ({@code "limit": {"kind": ...}}): it sees each
	 * step end, so it knows better than the engine which limit a child process hit first.
	 */
	static Verdict.Reason limit(JsonNode result) {
		return switch (result.path("limit").path("kind").asString("")) {
			case "time" -> Verdict.Reason.TIME_LIMIT;
			case "memory" -> Verdict.Reason.MEMORY_LIMIT;
			case "processes" -> Verdict.Reason.PROCESS_LIMIT;
			case "output" -> Verdict.Reason.OUTPUT_LIMIT;
			case "disk" -> Verdict.Reason.DISK_LIMIT;
			default -> null;
		};
	}

	static List<TestResult> tests(JsonNode result) {
		List<TestResult> tests = new ArrayList<>();
		for (JsonNode test : items(result.path("tests"))) {
			String status = test.path("status").asString("");
			if (!status.equals(Verdict.PASS) && !status.equals(Verdict.FAIL)) {
				status = Verdict.ERROR;
			}
			tests.add(new TestResult(text(test, "name", 200, "(unnamed test)"), status,
					text(test, "message", MAX_MESSAGE, null), text(test, "output", MAX_OUTPUT, null),
					text(test, "group", 40, "Tests")));
		}
		return tests;
	}

	static List<Metric> metrics(JsonNode result) {
		List<Metric> metrics = new ArrayList<>();
		for (JsonNode metric : items(result.path("metrics"))) {
			JsonNode value = metric.path("value");
			if (value.isNumber() && Double.isFinite(value.asDouble())) {
				metrics.add(new Metric(text(metric, "name", 200, "(unnamed)"), value.asDouble(),
						text(metric, "unit", 40, ""), metric.path("lowerIsBetter").asBoolean(true)));
			}
		}
		return metrics;
	}

	static List<Finding> findings(JsonNode result) {
		List<Finding> findings = new ArrayList<>();
		for (JsonNode finding : items(result.path("findings"))) {
			List<Frame> frames = new ArrayList<>();
			for (JsonNode frame : items(finding.path("frames"))) {
				JsonNode line = frame.path("line");
				frames.add(new Frame(text(frame, "file", 300, null), line.isInt() ? line.asInt() : null,
						text(frame, "function", 300, null), frame.path("student").asBoolean(false)));
			}
			JsonNode bytes = finding.path("bytes");
			findings.add(new Finding(text(finding, "tool", 40, "tool"), text(finding, "kind", 100, "error"),
					text(finding, "message", MAX_MESSAGE, null), frames,
					(bytes.isIntegralNumber() && bytes.canConvertToLong()) ? bytes.asLong() : null));
		}
		return findings;
	}

	static String text(JsonNode node, String field, int max, String fallback) {
		JsonNode value = node.path(field);
		if (!value.isString()) {
			return fallback;
		}
		String text = value.asString();
		return (text.length() > max) ? text.substring(0, max) + " [...]" : text;
	}

	private static List<JsonNode> items(JsonNode array) {
		List<JsonNode> items = new ArrayList<>();
		if (array.isArray()) {
			for (JsonNode item : array) {
				if (items.size() == MAX_ITEMS) {
					break;
				}
				if (item.isObject()) {
					items.add(item);
				}
			}
		}
		return items;
	}

}
