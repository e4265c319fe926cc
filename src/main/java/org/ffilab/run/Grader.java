package org.ffilab.run;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.ffilab.grading.Artifact;
import org.ffilab.grading.Handover;
import org.ffilab.grading.ReportParsers;
import org.ffilab.grading.StageVerdicts;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.VerdictAssembler;
import org.ffilab.sandbox.Sandbox;
import org.ffilab.sandbox.SandboxException;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.sandbox.SandboxResult;
import org.ffilab.task.CleanMachine;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Grades one set of files in the sandbox: packs the job, runs the harness, relays the program's
 * output as it comes and assembles the verdict. A track with a clean machine gets a second
 * container for it, with the files the first handed over, and one verdict for both. Used by the run
 * queue and by the golden tests, so both go through exactly the same path.
 */
@Component
public class Grader {

	private static final Logger logger = LoggerFactory.getLogger(Grader.class);

	private static final String BOLD = "\u001b[1m";

	private static final String DIM = "\u001b[2m";

	private static final String RESET = "\u001b[0m";

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
	 * Grades like {@link #grade}, and says how long each part took and whether the output was cut
	 * (both stages together, for a track with a clean machine).
	 * @throws SandboxException when the sandbox could not carry the run out
	 */
	Graded gradeTimed(String runId, Task task, Track track, Map<String, String> files, Consumer<String> output) {
		Stage first = run(runId, this.jobs.create(runId, task, track, files), track, track.support().keySet(),
				output);
		CleanMachine clean = track.cleanMachine();
		if (clean == null) {
			return first.graded(first.verdict());
		}
		String why = StageVerdicts.whyNotRun(first.verdict(), first.handover().problem());
		if (why != null) {
			return first.graded(StageVerdicts.merge(first.verdict(), StageVerdicts.notRun(clean.tests(), why)));
		}
		List<Artifact> handedOver = first.handover().files();
		output.accept(banner(clean, handedOver, first.handover().passedOver()));
		Stage second = run(runId, this.jobs.createCleanMachine(runId, task, track, handedOver), track, Set.of(),
				output);
		Verdict verdict = StageVerdicts.merge(first.verdict(), second.verdict());
		return new Graded(verdict, first.truncated() || second.truncated(), first.startup().plus(second.startup()),
				first.execution().plus(second.execution()), first.grading().plus(second.grading()));
	}

	private Stage run(String runId, SandboxRequest request, Track track, Set<String> support,
			Consumer<String> output) {
		var collector = new HarnessCollector(output, this.reports.forRun(track.editable(), support));
		SandboxResult result = this.sandbox.run(request, collector::accept);
		long grading = System.nanoTime();
		collector.finish();
		String diagnostics = collector.diagnostics();
		if (!diagnostics.isEmpty()) {
			logger.info("Run {} ({}) harness diagnostics:\n{}", runId, request.image(), diagnostics);
		}
		Verdict verdict = this.verdicts.assemble(collector.result(), collector.reports(), result);
		boolean truncated = result.outputTruncated()
				|| (collector.result() != null && collector.result().path("outputTruncated").asBoolean(false));
		return new Stage(verdict, collector.handover(), truncated, result.startup(), result.elapsed(),
				Duration.ofNanos(System.nanoTime() - grading));
	}

	/** The line between the two stages' output, and what went across. */
	static String banner(CleanMachine clean, List<Artifact> handedOver, List<String> passedOver) {
		var text = new StringBuilder("\n" + BOLD + "\u2501\u2501 Clean machine \u2501\u2501" + RESET + " a new container of "
				+ clean.image() + ", with no compiler, gets only what the build handed over:\n");
		if (handedOver.isEmpty()) {
			text.append(DIM + "  nothing (no file in " + String.join(", ", clean.collect()) + ")" + RESET + "\n");
		}
		for (Artifact artifact : handedOver) {
			text.append(DIM + "  " + artifact.path() + " (" + size(artifact.data().length) + ")" + RESET + "\n");
		}
		if (!passedOver.isEmpty()) {
			text.append(DIM + "  not handed over (not a regular file): " + String.join(", ", passedOver) + RESET
					+ "\n");
		}
		return text.toString();
	}

	private static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " bytes";
		}
		return (bytes < 1024 * 1024) ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
				: String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
	}

	/** One container's part of a run. */
	private record Stage(Verdict verdict, Handover handover, boolean truncated, Duration startup, Duration execution,
			Duration grading) {

		Graded graded(Verdict verdict) {
			return new Graded(verdict, this.truncated, this.startup, this.execution, this.grading);
		}

	}

}
