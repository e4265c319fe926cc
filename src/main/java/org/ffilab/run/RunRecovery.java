package org.ffilab.run;

import java.time.Instant;

import org.ffilab.grading.VerdictAssembler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * At start-up: a run that was in a sandbox when the server stopped ends visibly as an error (its
 * container is reaped), and a run still waiting in the queue is queued again.
 */
@Component
class RunRecovery implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(RunRecovery.class);

	private final RunRepository runs;

	private final RunService service;

	private final VerdictAssembler verdicts;

	private final ObjectMapper json;

	private final ApplicationEventPublisher events;

	RunRecovery(RunRepository runs, RunService service, VerdictAssembler verdicts, ObjectMapper json,
			ApplicationEventPublisher events) {
		this.events = events;
		this.runs = runs;
		this.service = service;
		this.verdicts = verdicts;
		this.json = json;
	}

	@Override
	public void run(ApplicationArguments args) {
		endInterruptedRuns();
		queueWaitingRunsAgain();
	}

	void endInterruptedRuns() {
		RunFailure failure = RunFailure.LAB_RESTARTED;
		String verdict = this.json.writeValueAsString(this.verdicts.infrastructureError(failure.message()));
		for (String id : this.runs.idsWithStatus(RunStatus.RUNNING)) {
			Instant now = Instant.now();
			this.runs.fail(id, "", verdict, failure, now);
			// Whoever watches the class sees it end too, not running forever.
			this.runs.find(id)
				.ifPresent((run) -> this.events.publishEvent(
						new RunEnded(id, run.userId(), run.taskId(), run.trackId(), RunStatus.ERROR, verdict, now)));
		}
	}

	void queueWaitingRunsAgain() {
		// Oldest first, as they came: the queue's fairness (and the replacement of a waiting run by a newer one of
		// the same work) holds across the restart.
		var queued = this.runs.queued();
		queued.forEach(this.service::resume);
		if (!queued.isEmpty()) {
			logger.info("Queued again {} runs accepted before the restart", queued.size());
		}
	}

}
