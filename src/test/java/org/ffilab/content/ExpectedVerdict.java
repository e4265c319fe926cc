package org.ffilab.content;

import java.util.ArrayList;
import java.util.List;

import org.ffilab.grading.Verdict;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A hazard's expected.json: the status, the tests that must fail, the findings that must be found. */
record ExpectedVerdict(String status, List<String> failedTests, List<String> findingKinds) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static final ExpectedVerdict PASS = new ExpectedVerdict(Verdict.PASS, List.of(), List.of());

	static ExpectedVerdict parse(String json) {
		JsonNode node = JSON.readTree(json);
		return new ExpectedVerdict(node.path("status").asString(""), strings(node.path("failedTests")),
				strings(node.path("findingKinds")));
	}

	/** What a verdict would be recorded as, for the rewrite switch. */
	static ExpectedVerdict of(Verdict verdict) {
		return new ExpectedVerdict(verdict.status(),
				verdict.tests().stream().filter((t) -> !t.status().equals(Verdict.PASS)).map(Verdict.TestResult::name).toList(),
				verdict.findings().stream().map(Verdict.Finding::kind).distinct().toList());
	}

	/** Every way the verdict differs from what is expected; empty when it matches. */
	List<String> mismatches(Verdict verdict) {
		List<String> problems = new ArrayList<>();
		if (!this.status.equals(verdict.status())) {
			problems.add("status " + verdict.status() + ", expected " + this.status + " (" + verdict.message() + ")");
		}
		for (String name : this.failedTests) {
			var test = verdict.tests().stream().filter((t) -> t.name().equals(name)).findFirst();
			if (test.isEmpty()) {
				problems.add("no test named '" + name + "'");
			}
			else if (test.get().status().equals(Verdict.PASS)) {
				problems.add("test '" + name + "' passed but must fail");
			}
		}
		for (String kind : this.findingKinds) {
			if (verdict.findings().stream().noneMatch((f) -> f.kind().equals(kind))) {
				problems.add("no finding of kind '" + kind + "'");
			}
		}
		return problems;
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		for (JsonNode item : array) {
			values.add(item.asString());
		}
		return values;
	}

	String toJson() {
		return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
	}

}
