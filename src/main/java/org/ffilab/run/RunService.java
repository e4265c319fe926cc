package org.ffilab.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.ffilab.account.LabUser;
import org.ffilab.account.WorkAccess;
import org.ffilab.run.SubmissionValidator.ValidSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Accepts submissions (stored first, then queued) and shows runs, live or ended. */
@Service
public class RunService {

	private static final Logger logger = LoggerFactory.getLogger(RunService.class);

	static final String SUPERSEDED = "Replaced by your newer submission";

	private final SubmissionValidator validator;

	private final RunRepository runs;

	private final RunQueue queue;

	private final RunWorker worker;

	private final LiveRuns live;

	private final ObjectMapper json;

	private final ReferenceMetrics referenceMetrics;

	private final WorkAccess access;

	private final RunRateLimit rateLimit;

	private final RunEvents events;

	RunService(SubmissionValidator validator, RunRepository runs, RunQueue queue, RunWorker worker, LiveRuns live,
			ObjectMapper json, ReferenceMetrics referenceMetrics, WorkAccess access, RunRateLimit rateLimit,
			RunEvents events) {
		this.access = access;
		this.rateLimit = rateLimit;
		this.events = events;
		this.referenceMetrics = referenceMetrics;
		this.validator = validator;
		this.runs = runs;
		this.queue = queue;
		this.worker = worker;
		this.live = live;
		this.json = json;
	}

	public String submit(Submission submission, LabUser user) {
		ValidSubmission valid = this.validator.validate(submission);
		this.rateLimit.take(user);
		if (!this.queue.tryReserve()) {
			this.rateLimit.giveBack(user);
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS,
					"The lab is busy: every place in the queue is taken. Wait a moment and press Run again.");
		}
		Run run = new Run(UUID.randomUUID().toString(), valid.task().id(), valid.track().id(), RunStatus.QUEUED,
				valid.files(), null, null, null, Instant.now(), null, null, null, user.id());
		try {
			this.runs.insert(run);
		}
		catch (RuntimeException ex) {
			this.queue.release();
			throw ex;
		}
		this.queue.submitReserved(run, this.worker::execute).ifPresent(this::supersede);
		return run.id();
	}

	/** The run, if it exists and the viewer may see it: a run they may not see looks exactly like no run. */
	public Optional<RunView> find(String id, LabUser viewer) {
		return this.runs.find(id).filter((run) -> mayView(run, viewer)).map(this::view);
	}

	/** True if the run exists and the viewer may follow it (its page, its API and its live topic). */
	public boolean mayView(String id, LabUser viewer) {
		return this.runs.find(id).filter((run) -> mayView(run, viewer)).isPresent();
	}

	private boolean mayView(Run run, LabUser viewer) {
		// Runs from before accounts existed belong to nobody: only admins see them.
		return (run.userId() != null) ? this.access.canSeeWorkOf(viewer, run.userId()) : viewer.isAdmin();
	}

	private RunView view(Run run) {
		String output = this.live.find(run.id())
			.map(LiveRuns.LiveRun::output)
			.orElse((run.output() != null) ? run.output() : "");
		JsonNode verdict = (run.verdictJson() != null) ? this.json.readTree(run.verdictJson()) : null;
		boolean hasMetrics = verdict != null && !verdict.path("metrics").isEmpty();
		return new RunView(run.id(), run.taskId(), run.trackId(), run.status(), run.files(), output, verdict,
				hasMetrics ? this.referenceMetrics.forTrack(run.taskId(), run.trackId()) : List.of(), run.error(),
				run.createdAt(), run.startedAt(), run.firstOutputAt(), run.finishedAt());
	}

	/** Queues again a run a stopped server had accepted but not started. */
	void resume(Run run) {
		this.queue.submitRecovered(run, this.worker::execute).ifPresent(this::supersede);
	}

	/**
	 * A waiting run whose place a newer one took ends without running, and its watchers are told. The newer run is
	 * already queued: a failure here must not fail its submission (the old row stays QUEUED, and the next start
	 * queues it again).
	 */
	private void supersede(String runId) {
		try {
			if (this.runs.supersede(runId, SUPERSEDED, Instant.now())) {
				this.events.superseded(runId, SUPERSEDED);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Run {} was replaced in the queue but could not be marked so: {}", runId, ex.getMessage());
		}
	}

}
