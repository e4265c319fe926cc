package org.ffilab.run;

import java.time.Duration;
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

	private final RunMetrics metrics;

	RunWorker(RunRepository runs, TaskCatalog catalog, SandboxJobFactory jobs, Grader grader, LiveRuns live,
			VerdictAssembler verdicts, ObjectMapper json, ReferenceMetrics referenceMetrics,
			ApplicationEventPublisher events, RunMetrics metrics) {
		this.events = events;
		this.referenceMetrics = referenceMetrics;
		this.metrics = metrics;
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
		Instant started = Instant.now();
		if (run == null || !this.runs.markRunning(runId, started)) {
			return;
		}
		this.metrics.queueWait(Duration.between(run.createdAt(), started));
		Task task = this.catalog.find(run.taskId()).orElse(null);
		Track track = (task != null) ? task.track(run.trackId()).orElse(null) : null;
		if (track == null) {
			Instant finished = Instant.now();
			this.runs.fail(runId, "", null, RunFailure.TASK_GONE, finished);
			this.metrics.finished(null, null, null, Duration.between(run.createdAt(), finished), "", false);
			this.events.publishEvent(new RunEnded(runId, run.userId(), run.taskId(), run.trackId(), RunStatus.ERROR,
					null, finished));
			return;
		}
		LiveRun liveRun = this.live.start(runId, this.jobs.limits(track.limits()).outputBytes());
		var ending = new Ending(run, task, track, liveRun);
		try {
			Graded graded = this.grader.gradeTimed(runId, task, track, run.files(), liveRun::append);
			this.metrics.graded(graded);
			Verdict verdict = graded.verdict();
			List<Verdict.Metric> reference = verdict.metrics().isEmpty() ? List.of()
					: this.referenceMetrics.forTrack(task.id(), track.id());
			end(ending, verdict, null, reference, graded.outputTruncated());
		}
		catch (SandboxException ex) {
			logger.warn("Run {} could not be carried out: {}", runId, ex.getMessage());
			fail(ending, RunFailure.of(ex));
		}
		catch (RuntimeException ex) {
			logger.error("Run {} failed in the lab itself", runId, ex);
			fail(ending, RunFailure.internal());
		}
	}

	/** Ends the run as ERROR, keeping its output so far; the verdict says why, in the student's words. */
	private void fail(Ending ending, RunFailure failure) {
		end(ending, this.verdicts.infrastructureError(failure.message()), failure, List.of(), false);
	}

	/** Stores the end (FINISHED with a verdict, or ERROR with a failure), tells the browser, the class and the meters. */
	private void end(Ending ending, Verdict verdict, RunFailure failure, List<Verdict.Metric> reference,
			boolean outputTruncated) {
		LiveRun liveRun = ending.liveRun();
		RunStatus status = (failure != null) ? RunStatus.ERROR : RunStatus.FINISHED;
		String verdictJson = this.json.writeValueAsString(verdict);
		Instant firstOutput = liveRun.firstOutputAt();
		if (firstOutput != null) {
			this.runs.markFirstOutput(liveRun.runId(), firstOutput);
		}
		String output = liveRun.output();
		Instant finished = Instant.now();
		if (failure != null) {
			this.runs.fail(liveRun.runId(), output, verdictJson, failure, finished);
		}
		else {
			this.runs.finish(liveRun.runId(), output, verdictJson, finished);
		}
		this.live.end(liveRun, status, verdictJson, failure, reference);
		Run run = ending.run();
		this.events.publishEvent(new RunEnded(run.id(), run.userId(), run.taskId(), run.trackId(), status, verdictJson,
				finished));
		this.metrics.finished(ending.task(), ending.track(), verdict, Duration.between(run.createdAt(), finished),
				output, outputTruncated || liveRun.truncated());
	}

	/** What the end of a run needs to know about it. */
	private record Ending(Run run, Task task, Track track, LiveRun liveRun) {
	}

}
