package org.ffilab.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.ffilab.grading.HarnessEvents;
import org.ffilab.grading.HarnessStream;
import org.ffilab.grading.ReportParsers;
import org.ffilab.grading.ToolReports;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.sandbox.OutputChunk;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.stereotype.Component;

/**
 * Grades one set of files in the sandbox: packs the job, runs the harness, relays the program's
 * output as it comes and assembles the verdict. Used by the run queue and by the golden tests, so
 * both go through exactly the same path.
 */
@Component
public class Grader {

	private static final Logger logger = LoggerFactory.getLogger(Grader.class);

	private final SandboxJobFactory jobs;

	private final Sandbox sandbox;

	private final VerdictAssembler verdicts;

	private final ReportParsers reports;

	public Grader(SandboxJobFactory jobs, Sandbox sandbox, VerdictAssembler verdicts, ReportParsers reports) {
		this.jobs = jobs;
		this.sandbox = sandbox;
		this.verdicts = verdicts;
		this.reports = reports;
	}

	/**
	 * @throws SandboxException when the sandbox could not carry the run out (never for the student's faults)
	 */
	public Verdict grade(String runId, Task task, Track track, Map<String, String> files, Consumer<String> output) {
		return gradeTimed(runId, task, track, files, output).verdict();
	}

	/**
	 * Grades like {@link #grade}, and says how long each part took and whether the output was cut.
	 * @throws SandboxException when the sandbox could not carry the run out
	 */
	Graded gradeTimed(String runId, Task task, Track track, Map<String, String> files, Consumer<String> output) {
		SandboxRequest request = this.jobs.create(runId, task, track, files);
		var collector = new Collector(output, this.reports.forRun(track.editable(), track.support().keySet()));
		SandboxResult result = this.sandbox.run(request, collector::accept);
		long grading = System.nanoTime();
		collector.stream.finish();
		if (collector.diagnostics.size() > 0) {
			logger.info("Run {} harness diagnostics:\n{}", runId, collector.diagnostics.toString(StandardCharsets.UTF_8));
		}
		Verdict verdict = this.verdicts.assemble(collector.result, collector.reports, result);
		boolean truncated = result.outputTruncated()
				|| (collector.result != null && collector.result.path("outputTruncated").asBoolean(false));
		return new Graded(verdict, truncated, result.startup(), result.elapsed(),
				Duration.ofNanos(System.nanoTime() - grading));
	}

	/**
	 * Routes the container's streams: stdout is the harness protocol, stderr its diagnostics. Tool
	 * reports are parsed as they arrive.
	 */
	private static final class Collector implements HarnessEvents {

		private static final int MAX_DIAGNOSTICS = 64 * 1024;

		private final Consumer<String> output;

		private final HarnessStream stream = new HarnessStream(this);

		private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

		private final ToolReports reports;

		private JsonNode result;

		Collector(Consumer<String> output, ToolReports reports) {
			this.output = output;
			this.reports = reports;
		}

		void accept(OutputChunk chunk) {
			if (chunk.stream() == OutputChunk.Stream.STDOUT) {
				this.stream.feed(chunk.data());
			}
			else {
				keep(chunk.data());
			}
		}

		@Override
		public void output(String text) {
			this.output.accept(text);
		}

		@Override
		public void report(String tool, String test, String text) {
			this.reports.add(tool, text);
		}

		@Override
		public void result(JsonNode result) {
			this.result = result;
		}

		@Override
		public void noise(String line) {
			keep((line + "\n").getBytes(StandardCharsets.UTF_8));
		}

		private void keep(byte[] data) {
			if (this.diagnostics.size() < MAX_DIAGNOSTICS) {
				this.diagnostics.writeBytes(data);
			}
		}

	}

}
