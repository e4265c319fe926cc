package org.ffilab.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.ffilab.grading.HarnessEvents;
import org.ffilab.grading.HarnessStream;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.run.LiveRuns.LiveRun;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
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

	private final Sandbox sandbox;

	private final LiveRuns live;

	private final VerdictAssembler verdicts;

	private final ObjectMapper json;

	RunWorker(RunRepository runs, TaskCatalog catalog, SandboxJobFactory jobs, Sandbox sandbox, LiveRuns live,
			VerdictAssembler verdicts, ObjectMapper json) {
		this.runs = runs;
		this.catalog = catalog;
		this.jobs = jobs;
		this.sandbox = sandbox;
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
			this.runs.finish(runId, RunStatus.ERROR, "", null,
					"This task or track is no longer part of the course.", Instant.now());
			return;
		}
		SandboxRequest request = this.jobs.create(runId, task, track, run.files());
		LiveRun liveRun = this.live.start(runId, request.limits().outputBytes());
		var collector = new Collector(liveRun);
		try {
			SandboxResult result = this.sandbox.run(request, collector::accept);
			collector.stream.finish();
			Verdict verdict = this.verdicts.assemble(collector.result, result);
			if (collector.diagnostics.size() > 0) {
				logger.info("Run {} harness diagnostics:\n{}", runId, collector.diagnostics());
			}
			end(liveRun, RunStatus.FINISHED, this.json.writeValueAsString(verdict), null);
		}
		catch (SandboxException ex) {
			logger.warn("Run {} could not be carried out: {}", runId, ex.getMessage());
			Verdict verdict = this.verdicts.infrastructureError(ex.getMessage());
			end(liveRun, RunStatus.ERROR, this.json.writeValueAsString(verdict), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("Run {} failed in the lab itself", runId, ex);
			String message = "The lab failed while running this submission; it is kept, press Run to try again.";
			end(liveRun, RunStatus.ERROR, this.json.writeValueAsString(this.verdicts.infrastructureError(message)),
					message);
		}
	}

	private void end(LiveRun liveRun, RunStatus status, String verdictJson, String error) {
		Instant firstOutput = liveRun.firstOutputAt();
		if (firstOutput != null) {
			this.runs.markFirstOutput(liveRun.runId(), firstOutput);
		}
		this.runs.finish(liveRun.runId(), status, liveRun.output(), verdictJson, error, Instant.now());
		this.live.end(liveRun, status, verdictJson, error);
	}

	/** Routes the container's streams: stdout is the harness protocol, stderr its diagnostics. */
	private static final class Collector implements HarnessEvents {

		private static final int MAX_DIAGNOSTICS = 64 * 1024;

		private final LiveRun liveRun;

		private final HarnessStream stream = new HarnessStream(this);

		private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

		private JsonNode result;

		Collector(LiveRun liveRun) {
			this.liveRun = liveRun;
		}

		void accept(OutputChunk chunk) {
			if (chunk.stream() == OutputChunk.Stream.STDOUT) {
				this.stream.feed(chunk.data());
			}
			else if (this.diagnostics.size() < MAX_DIAGNOSTICS) {
				this.diagnostics.writeBytes(chunk.data());
			}
		}

		String diagnostics() {
			return this.diagnostics.toString(StandardCharsets.UTF_8);
		}

		@Override
		public void output(String text) {
			this.liveRun.append(text);
		}

		@Override
		public void result(JsonNode result) {
			this.result = result;
		}

		@Override
		public void noise(String line) {
			if (this.diagnostics.size() < MAX_DIAGNOSTICS) {
				this.diagnostics.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
			}
		}

	}

}
