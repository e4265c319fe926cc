package org.ffilab.run;

import java.time.Instant;
import java.util.List;

import org.ffilab.grading.Verdict;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.run.LiveRuns.LiveRun;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Carries out one stored run: sandbox, live output, verdict, stored result. Whatever happens, the
 * run ends FINISHED or ERROR: it never stays RUNNING.
 */
@Component
class RunWorker {

	private static final Logger logger = LoggerFactory.getLogger(RunWorker.class);

	private final RunRepository runs;

	private final TaskCatalog catalog;

	private final SandboxJobFactory jobs;

	private final Grader grader;

	private final LiveRuns live;

	private final VerdictAssembler verdicts;

	private final ObjectMapper json;

	private final ReferenceMetrics referenceMetrics;

	private final ApplicationEventPublisher events;

	RunWorker(RunRepository runs, TaskCatalog catalog, SandboxJobFactory jobs, Grader grader, LiveRuns live,
			VerdictAssembler verdicts, ObjectMapper json, ReferenceMetrics referenceMetrics,
			ApplicationEventPublisher events) {
		this.events = events;
		this.referenceMetrics = referenceMetrics;
		this.runs = runs;
		this.catalog = catalog;
		this.jobs = jobs;
		this.grader = grader;
		this.live = live;
		this.verdicts = verdicts;
		this.json = json;
	}

	void execute(String runId) {
		Run run = this.runs.find(runId).orElse(null);
		if (run == null || !this.runs.markRunning(runId, Instant.now())) {
			return;
		}
		Task task = this.catalog.find(run.taskId()).orElse(null);
		Track track = (task != null) ? task.track(run.trackId()).orElse(null) : null;
		if (track == null) {
			Instant finished = Instant.now();
			this.runs.finish(runId, RunStatus.ERROR, "", null, "This task or track is no longer part of the course.",
					finished);
			this.events.publishEvent(new RunEnded(runId, run.userId(), run.taskId(), run.trackId(), RunStatus.ERROR,
					null, finished));
			return;
		}
		LiveRun liveRun = this.live.start(runId, this.jobs.limits(track.limits()).outputBytes());
		try {
			Verdict verdict = this.grader.grade(runId, task, track, run.files(), liveRun::append);
			List<Verdict.Metric> reference = verdict.metrics().isEmpty() ? List.of()
					: this.referenceMetrics.forTrack(task.id(), track.id());
			end(run, liveRun, RunStatus.FINISHED, this.json.writeValueAsString(verdict), null, reference);
		}
		catch (SandboxException ex) {
			logger.warn("Run {} could not be carried out: {}", runId, ex.getMessage());
			Verdict verdict = this.verdicts.infrastructureError(ex.getMessage());
			end(run, liveRun, RunStatus.ERROR, this.json.writeValueAsString(verdict), ex.getMessage(), List.of());
		}
		catch (RuntimeException ex) {
			logger.error("Run {} failed in the lab itself", runId, ex);
			String message = "The lab failed while running this submission; it is kept, press Run to try again.";
			end(run, liveRun, RunStatus.ERROR, this.json.writeValueAsString(this.verdicts.infrastructureError(message)),
					message, List.of());
		}
	}

	private void end(Run run, LiveRun liveRun, RunStatus status, String verdictJson, String error,
			List<Verdict.Metric> reference) {
		Instant firstOutput = liveRun.firstOutputAt();
		if (firstOutput != null) {
			this.runs.markFirstOutput(liveRun.runId(), firstOutput);
		}
		Instant finished = Instant.now();
		this.runs.finish(liveRun.runId(), status, liveRun.output(), verdictJson, error, finished);
		this.live.end(liveRun, status, verdictJson, error, reference);
		this.events.publishEvent(new RunEnded(run.id(), run.userId(), run.taskId(), run.trackId(), status, verdictJson,
				finished));
	}

}
