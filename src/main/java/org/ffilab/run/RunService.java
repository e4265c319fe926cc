package org.ffilab.run;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ffilab.account.LabUser;
import org.ffilab.account.WorkAccess;
import org.ffilab.grading.Verdict;
import org.ffilab.run.RunRepository.RunSummaryRow;
import org.ffilab.run.SubmissionValidator.ValidSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Accepts submissions (stored first, then queued) and shows runs, live or ended. */
@Service
public class RunService {

	private static final Logger logger = LoggerFactory.getLogger(RunService.class);

	static final String SUPERSEDED = "Replaced by your newer submission";

	/** The most attempts a history lists: enough for a lab session, bounded for the page. */
	static final int HISTORY_LIMIT = 100;

	private final SubmissionValidator validator;

	private final RunRepository runs;

	private final RunQueue queue;

	private final RunWorker worker;

	private final LiveRuns live;

	private final ObjectMapper json;

	private final ReferenceMetrics referenceMetrics;

	private final WorkAccess access;

	private final ApplicationEventPublisher events;

	private final RunRateLimit rateLimit;

	/** The runs' STOMP topics. */
	private final RunEvents topics;

	RunService(SubmissionValidator validator, RunRepository runs, RunQueue queue, RunWorker worker, LiveRuns live,
			ObjectMapper json, ReferenceMetrics referenceMetrics, WorkAccess access, ApplicationEventPublisher events,
			RunRateLimit rateLimit, RunEvents topics) {
		this.access = access;
		this.events = events;
		this.rateLimit = rateLimit;
		this.topics = topics;
		this.referenceMetrics = referenceMetrics;
		this.validator = validator;
		this.runs = runs;
		this.queue = queue;
		this.worker = worker;
		this.live = live;
		this.json = json;
	}

	public String submit(Submission submission, LabUser user) {
		return submit(submission, user, user.id(), null);
	}

	/**
	 * Runs the stored files of a run the lab could not carry out again, as a new run of the same student. The
	 * files come from the database, not from the browser: nothing is lost when the browser's draft is gone or
	 * has moved on since. A run has at most one retry; asking again answers with that one. Only the student who
	 * submitted it (or an admin) may retry it; to anyone who may not see it, it does not exist.
	 *
	 * @return the id of the retry
	 */
	public String retry(String id, LabUser viewer) {
		Run failed = this.runs.find(id)
			.filter((run) -> mayView(run, viewer))
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "There is no run " + id));
		if (!viewer.isAdmin() && !Long.valueOf(viewer.id()).equals(failed.userId())) {
			throw new ApiException(HttpStatus.FORBIDDEN, "Only the student who submitted this run can retry it.");
		}
		if (!failed.retryable()) {
			throw new ApiException(HttpStatus.CONFLICT, (failed.status() == RunStatus.ERROR)
					? "This run cannot be retried (" + failed.errorKind() + "): press Run instead."
					: "Only a run the lab could not carry out can be retried; this one is " + failed.status() + ".");
		}
		Optional<String> earlier = this.runs.retryIdOf(id);
		if (earlier.isPresent()) {
			return earlier.get();
		}
		try {
			return submit(new Submission(failed.taskId(), failed.trackId(), failed.files()), viewer, failed.userId(),
					id);
		}
		catch (DuplicateKeyException ex) {
			// Another request retried it at the same moment.
			return this.runs.retryIdOf(id).orElseThrow(() -> ex);
		}
	}

	/** Stores and queues a submission; {@code pressedBy} is who pressed Run (or Retry), for the rate limit. */
	private String submit(Submission submission, LabUser pressedBy, Long userId, String retryOf) {
		ValidSubmission valid = this.validator.validate(submission);
		this.rateLimit.take(pressedBy);
		if (!this.queue.tryReserve()) {
			this.rateLimit.giveBack(pressedBy);
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS,
					"The lab is busy: every place in the queue is taken. Wait a moment and press Run again.");
		}
		String id = UUID.randomUUID().toString();
		Instant accepted = Instant.now();
		Run run = Run.queued(id, valid.task().id(), valid.track().id(), valid.files(), accepted, userId, retryOf);
		try {
			this.runs.insert(run);
		}
		catch (RuntimeException ex) {
			this.queue.release();
			throw ex;
		}
		// Before the queue: no worker can end the run (and publish RunEnded) before this is out.
		this.events.publishEvent(new RunAccepted(id, userId, valid.task().id(), valid.track().id(), accepted));
		this.queue.submitReserved(run, this.worker::execute).ifPresent(this::supersede);
		return id;
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
				run.errorKind(), run.retryable(), run.createdAt(), run.startedAt(), run.firstOutputAt(),
				run.finishedAt(), run.retryOf(), run.userId());
	}

	/** The student's own attempts of a task (of one track, when given), newest first; at most {@value #HISTORY_LIMIT}. */
	public List<RunSummary> history(LabUser student, String taskId, String trackId) {
		return this.runs.history(student.id(), taskId, trackId, HISTORY_LIMIT).stream().map(this::summary).toList();
	}

	/**
	 * The best outcome of the student's ended runs of each task they ran (pass before fail before error), by task
	 * id; tasks without an ended run are missing.
	 */
	public Map<String, String> bestOutcomes(long userId) {
		Map<String, String> best = new LinkedHashMap<>();
		this.runs.outcomesByTask(userId).forEach((task, outcomes) -> best.put(task,
				outcomes.contains(Verdict.PASS) ? Verdict.PASS
						: outcomes.contains(Verdict.FAIL) ? Verdict.FAIL : Verdict.ERROR));
		return best;
	}

	private RunSummary summary(RunSummaryRow row) {
		JsonNode verdict = (row.verdictJson() != null) ? this.json.readTree(row.verdictJson()) : null;
		String headline = row.error();
		int tests = 0;
		int passed = 0;
		int findings = 0;
		if (verdict != null) {
			String message = verdict.path("message").asString("");
			headline = message.isEmpty() ? headline : message;
			for (JsonNode test : verdict.path("tests")) {
				tests++;
				passed += Verdict.PASS.equals(test.path("status").asString("")) ? 1 : 0;
			}
			findings = verdict.path("findings").size();
		}
		return new RunSummary(row.id(), row.taskId(), row.trackId(), row.status(), row.outcome(), headline, tests,
				passed, findings, row.createdAt(), row.finishedAt());
	}

	/** Queues again a run a stopped server had accepted but not started. */
	void resume(Run run) {
		this.queue.submitRecovered(run, this.worker::execute).ifPresent(this::supersede);
	}

	/**
	 * A waiting run whose place a newer one took ends without running: its topic gets its final message, and
	 * RunEnded goes out (its RunAccepted did). The newer run is already queued: a failure here must not fail its
	 * submission (the old row stays QUEUED, and the next start queues it again).
	 */
	private void supersede(String runId) {
		try {
			Instant now = Instant.now();
			if (this.runs.supersede(runId, SUPERSEDED, now)) {
				this.topics.superseded(runId, SUPERSEDED);
				this.runs.find(runId)
					.ifPresent((run) -> this.events.publishEvent(new RunEnded(runId, run.userId(), run.taskId(),
							run.trackId(), RunStatus.SUPERSEDED, null, now)));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Run {} was replaced in the queue but could not be marked so: {}", runId, ex.getMessage());
		}
	}

}
