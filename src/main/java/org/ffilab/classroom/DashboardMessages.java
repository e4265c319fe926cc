package org.ffilab.classroom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ffilab.classroom.DashboardView.Cell;
import org.ffilab.classroom.DashboardView.FeedEntry;
import org.ffilab.classroom.DashboardView.FindingCount;
import org.ffilab.classroom.DashboardView.MetricValue;
import org.ffilab.classroom.DashboardView.Student;
import tools.jackson.databind.ObjectMapper;

import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/**
 * The dashboard's live messages on /topic/classes/{classId}, as JSON text. Each carries the new state of what
 * changed, never a difference, so a page can apply a message twice, or one it already has in its snapshot.
 */
@Component
class DashboardMessages {

	static final String TOPIC_PREFIX = "/topic/classes/";

	private final SimpMessagingTemplate messaging;

	private final ObjectMapper json;

	DashboardMessages(SimpMessagingTemplate messaging, ObjectMapper json) {
		this.messaging = messaging;
		this.json = json;
	}

	/** {"type": "run", "student", "run"}: a run was accepted; its outcome is null. */
	void runAccepted(List<Long> classIds, Student student, FeedEntry run) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "run");
		message.put("student", student);
		message.put("run", run);
		send(classIds, message);
	}

	/**
	 * {"type": "run", "student", "run", "cell", "findings", "metrics"}: a run ended. findings are all of the
	 * student's for the task, metrics all of theirs for the task and track.
	 */
	void runEnded(List<Long> classIds, Student student, FeedEntry run, Cell cell, List<FindingCount> findings,
			List<MetricValue> metrics) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("type", "run");
		message.put("student", student);
		message.put("run", run);
		message.put("cell", cell);
		message.put("findings", findings);
		message.put("metrics", metrics);
		send(classIds, message);
	}

	/** {"type": "student", "student"}: a new row. */
	void studentJoined(long classId, Student student) {
		send(List.of(classId), Map.of("type", "student", "student", student));
	}

	private void send(List<Long> classIds, Map<String, ?> message) {
		String text = this.json.writeValueAsString(message);
		for (long classId : classIds) {
			this.messaging.convertAndSend(TOPIC_PREFIX + classId, text);
		}
	}

}
