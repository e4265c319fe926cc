package org.ffilab.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ffilab.grading.Verdict;
import tools.jackson.databind.ObjectMapper;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/** Sends a run's messages to its STOMP topic, /topic/runs/{id}, as JSON text. */
@Component
class RunEvents {

	static final String TOPIC_PREFIX = "/topic/runs/";

	private final SimpMessagingTemplate messaging;

	private final ObjectMapper json;

	RunEvents(SimpMessagingTemplate messaging, ObjectMapper json) {
		this.messaging = messaging;
		this.json = json;
	}

	void status(String runId, RunStatus status) {
		send(runId, Map.of("type", "status", "status", status.name()));
	}

	void output(String runId, int offset, String text) {
		send(runId, Map.of("type", "output", "offset", offset, "text", text));
	}

	/** The run's end; for ERROR with the failure's message, its kind and whether the browser offers Retry. */
	void ended(String runId, RunStatus status, String verdictJson, RunFailure failure, List<Verdict.Metric> reference) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "verdict");
		message.put("status", status.name());
		message.put("verdict", (verdictJson != null) ? this.json.readTree(verdictJson) : null);
		message.put("error", (failure != null) ? failure.message() : null);
		message.put("errorKind", (failure != null) ? failure.kind().name() : null);
		message.put("retryable", failure != null && failure.kind().retryable());
		message.put("reference", reference);
		send(runId, message);
	}

	/** The final message of a run that never ran: a newer one took its place. */
	void superseded(String runId, String error) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "verdict");
		message.put("status", RunStatus.SUPERSEDED.name());
		message.put("verdict", null);
		message.put("error", error);
		message.put("errorKind", null);
		message.put("retryable", false);
		message.put("reference", List.of());
		send(runId, message);
	}

	private void send(String runId, Map<String, ?> message) {
		this.messaging.convertAndSend(TOPIC_PREFIX + runId, this.json.writeValueAsString(message));
	}

}
