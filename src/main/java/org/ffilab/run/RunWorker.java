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

	RunWorker(RunRepository runs, TaskCatalog catalog, SandboxJobFactory jobs, Grader grader, LiveRuns live,
			VerdictAssembler verdicts, ObjectMapper json, ReferenceMetrics referenceMetrics) {
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
			this.runs.fail(runId, "", null, RunFailure.TASK_GONE, Instant.now());
			return;
		}
		LiveRun liveRun = this.live.start(runId, this.jobs.limits(track.limits()).outputBytes());
		try {
			Verdict verdict = this.grader.grade(runId, task, track, run.files(), liveRun::append);
			List<Verdict.Metric> reference = verdict.metrics().isEmpty() ? List.of()
					: this.referenceMetrics.forTrack(task.id(), track.id());
			String verdictJson = this.json.writeValueAsString(verdict);
			recordFirstOutput(liveRun);
			this.runs.finish(runId, liveRun.output(), verdictJson, Instant.now());
			this.live.end(liveRun, RunStatus.FINISHED, verdictJson, null, reference);
		}
		catch (SandboxException ex) {
			logger.warn("Run {} could not be carried out: {}", runId, ex.getMessage());
			fail(liveRun, RunFailure.of(ex));
		}
		catch (RuntimeException ex) {
			logger.error("Run {} failed in the lab itself", runId, ex);
			fail(liveRun, RunFailure.internal());
		}
	}

	/** Ends the run as ERROR, keeping its output so far; the verdict says why, in the student's words. */
	private void fail(LiveRun liveRun, RunFailure failure) {
		String verdictJson = this.json.writeValueAsString(this.verdicts.infrastructureError(failure.message()));
		recordFirstOutput(liveRun);
		this.runs.fail(liveRun.runId(), liveRun.output(), verdictJson, failure, Instant.now());
		this.live.end(liveRun, RunStatus.ERROR, verdictJson, failure, List.of());
	}

	private void recordFirstOutput(LiveRun liveRun) {
		Instant firstOutput = liveRun.firstOutputAt();
		if (firstOutput != null) {
			this.runs.markFirstOutput(liveRun.runId(), firstOutput);
		}
	}

}
