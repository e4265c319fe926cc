package org.ffilab.run;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.ffilab.grading.Verdict;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;

import org.springframework.stereotype.Component;

/**
 * The runs as meters for /actuator/prometheus: how many ended and how, how long each phase took, how
 * much they printed, and how many wait or run right now. Tag values come from the catalog (task,
 * track) or from fixed sets (outcome, phase), never from a request, so the number of series stays
 * bounded. docs/grafana/ffi-lab-dashboard.json charts them; docs/admin-guide.md lists them.
 */
@Component
class RunMetrics {

	/** Counter: runs that ended, tagged task, track and outcome (see {@link #outcome}). */
	static final String FINISHED = "ffilab.runs.finished";

	/** Gauge: runs accepted and waiting for a worker. */
	static final String QUEUED = "ffilab.runs.queued";

	/** Gauge: runs in a sandbox right now. */
	static final String RUNNING = "ffilab.runs.running";

	/** Timer with a histogram per phase: one meter, so one query charts every phase side by side. */
	static final String PHASE = "ffilab.run.phase";

	/** Distribution of the output a run kept (what the student sees), in bytes. */
	static final String OUTPUT = "ffilab.run.output";

	/** Counter: runs whose output was cut at a limit. */
	static final String TRUNCATED = "ffilab.runs.truncated";

	/** Task and track of a run whose task left the catalog after it was accepted. */
	static final String UNKNOWN = "unknown";

	/** Buckets of the output histogram: the default limit is 1 MiB, the largest allowed 4 MiB. */
	private static final double[] OUTPUT_BUCKETS = { 1024, 4 * 1024, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024,
			4 * 1024 * 1024 };

	enum Phase {

		/** Accepted to taken by a worker. */
		QUEUE_WAIT,
		/** Create, attach and start of the container. */
		SANDBOX_START,
		/** The container's start to its exit: the build and the check. */
		EXECUTION,
		/** The harness's last frames read and the verdict assembled. */
		GRADING,
		/** Accepted to verdict stored. */
		TOTAL;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final MeterRegistry registry;

	private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);

	private final DistributionSummary output;

	private final Counter truncated;

	RunMetrics(MeterRegistry registry, RunQueue queue, LiveRuns live, TaskCatalog catalog) {
		this.registry = registry;
		Gauge.builder(QUEUED, queue, RunQueue::waiting)
			.description("Runs accepted and waiting for a worker")
			.register(registry);
		Gauge.builder(RUNNING, live, LiveRuns::count).description("Runs in a sandbox right now").register(registry);
		for (Phase phase : Phase.values()) {
			this.phases.put(phase, Timer.builder(PHASE)
				.description("How long each phase of a run took")
				.tag("phase", phase.tag())
				.publishPercentileHistogram()
				// A run may wait in the queue and run for minutes (wall time up to 300 s): keep them on the scale.
				.minimumExpectedValue(Duration.ofMillis(1))
				.maximumExpectedValue(Duration.ofMinutes(10))
				.register(registry));
		}
		this.output = DistributionSummary.builder(OUTPUT)
			.description("Output a run kept, as the student sees it")
			.baseUnit("bytes")
			.serviceLevelObjectives(OUTPUT_BUCKETS)
			.register(registry);
		this.truncated = Counter.builder(TRUNCATED)
			.description("Runs whose output was cut at a limit")
			.register(registry);
		// Counters of the usual outcomes start at 0: Prometheus's rate() and increase() cannot see
		// the first increment of a series that appears with the value 1.
		for (Task task : catalog.all()) {
			for (Track track : task.tracks().values()) {
				for (String outcome : List.of(Verdict.PASS, Verdict.FAIL, Verdict.ERROR)) {
					finishedCounter(task.id(), track.id(), outcome);
				}
			}
		}
	}

	/**
	 * What decided a verdict, as one tag value: the limit or failure that ended the run early when
	 * there was one ({@code time_limit}, {@code memory_limit}, {@code output_limit},
	 * {@code process_limit}, {@code disk_limit}, {@code crash}, {@code infrastructure}), else its
	 * status ({@code pass}, {@code fail}, {@code error}). A run without a verdict is {@code error}.
	 */
	static String outcome(Verdict verdict) {
		if (verdict == null) {
			return Verdict.ERROR;
		}
		if (verdict.reason() != null) {
			return verdict.reason().name().toLowerCase(Locale.ROOT);
		}
		return verdict.status();
	}

	void queueWait(Duration wait) {
		this.phases.get(Phase.QUEUE_WAIT).record(wait);
	}

	void graded(Graded graded) {
		this.phases.get(Phase.SANDBOX_START).record(graded.sandboxStart());
		this.phases.get(Phase.EXECUTION).record(graded.execution());
		this.phases.get(Phase.GRADING).record(graded.grading());
	}

	/**
	 * @param task the catalog's task, or null when it is gone
	 * @param track the catalog's track, or null when it is gone
	 * @param verdict what the run earned, or null when it ended without one
	 * @param total accepted to ended
	 * @param output the output the run kept
	 * @param truncated its output was cut at a limit
	 */
	void finished(Task task, Track track, Verdict verdict, Duration total, String output, boolean truncated) {
		String taskId = (task != null && track != null) ? task.id() : UNKNOWN;
		String trackId = (task != null && track != null) ? track.id() : UNKNOWN;
		finishedCounter(taskId, trackId, outcome(verdict)).increment();
		this.phases.get(Phase.TOTAL).record(total);
		this.output.record(output.getBytes(StandardCharsets.UTF_8).length);
		if (truncated) {
			this.truncated.increment();
		}
	}

	private Counter finishedCounter(String task, String track, String outcome) {
		return Counter.builder(FINISHED)
			.description("Runs that ended, by task, track and what decided the verdict")
			.tag("task", task)
			.tag("track", track)
			.tag("outcome", outcome)
			.register(this.registry);
	}

}
