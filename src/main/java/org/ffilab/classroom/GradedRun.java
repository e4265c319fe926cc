package org.ffilab.classroom;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.ffilab.run.RunEnded;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What the dashboard keeps of an ended run: its outcome, the kinds of finding its verdict names and, for a pass,
 * its benchmark numbers. A verdict that cannot be read counts as an error with nothing else.
 */
record GradedRun(String runId, long studentId, String taskId, String trackId, Outcome outcome,
		Set<String> findingKinds, List<Metric> metrics, Instant endedAt) {

	/** Column sizes of task_finding and task_metric. */
	static final int KIND_CHARS = 100;

	static final int METRIC_NAME_CHARS = 200;

	static final int UNIT_CHARS = 40;

	record Metric(String name, double value, String unit, boolean lowerIsBetter) {
	}

	static GradedRun of(RunEnded ended, ObjectMapper json) {
		JsonNode verdict = read(ended.verdictJson(), json);
		String status = (verdict != null && verdict.path("status").isString()) ? verdict.path("status").asString()
				: null;
		Outcome outcome = Outcome.of(ended.status(), status);
		Set<String> kinds = new TreeSet<>();
		List<Metric> metrics = new ArrayList<>();
		if (verdict != null) {
			for (JsonNode finding : verdict.path("findings")) {
				String kind = finding.path("kind").asString("").strip();
				if (!kind.isEmpty()) {
					kinds.add(cut(kind, KIND_CHARS));
				}
			}
			if (outcome == Outcome.PASS) {
				for (JsonNode metric : verdict.path("metrics")) {
					String name = metric.path("name").asString("").strip();
					if (!name.isEmpty() && metric.path("value").isNumber()
							&& Double.isFinite(metric.path("value").asDouble())) {
						metrics.add(new Metric(cut(name, METRIC_NAME_CHARS), metric.path("value").asDouble(),
								cut(metric.path("unit").asString(""), UNIT_CHARS),
								metric.path("lowerIsBetter").asBoolean(true)));
					}
				}
			}
		}
		return new GradedRun(ended.runId(), ended.userId(), ended.taskId(), ended.trackId(), outcome, kinds,
				distinctByName(metrics), ended.finishedAt());
	}

	private static JsonNode read(String verdictJson, ObjectMapper json) {
		if (verdictJson == null || verdictJson.isBlank()) {
			return null;
		}
		try {
			return json.readTree(verdictJson);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** One value per metric name (the table's key); the first wins, as the verdict lists the check's own first. */
	private static List<Metric> distinctByName(List<Metric> metrics) {
		Set<String> seen = new TreeSet<>();
		return metrics.stream().filter((metric) -> seen.add(metric.name())).toList();
	}

	private static String cut(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
