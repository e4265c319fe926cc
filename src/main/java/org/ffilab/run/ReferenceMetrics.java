package org.ffilab.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import org.ffilab.grading.Verdict;
import org.ffilab.grading.Verdict.Metric;
import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reference solution's benchmark numbers, measured once per image in the same sandbox as the
 * students' runs, so a student compares against numbers from the same machine and toolchain. The
 * first run of a track with metrics triggers the measurement in the background; later runs show it.
 */
@Component
class ReferenceMetrics {

	private static final Logger logger = LoggerFactory.getLogger(ReferenceMetrics.class);

	private final JdbcClient jdbc;

	private final TaskCatalog catalog;

	private final Grader grader;

	private final SandboxMonitor monitor;

	private final Set<String> measuring = ConcurrentHashMap.newKeySet();

	/** One at a time, so reference runs never crowd out the students' runs. */
	private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofPlatform()
		.name("reference-metrics")
		.daemon(true)
		.factory());

	ReferenceMetrics(JdbcClient jdbc, TaskCatalog catalog, Grader grader, SandboxMonitor monitor) {
		this.jdbc = jdbc;
		this.catalog = catalog;
		this.grader = grader;
		this.monitor = monitor;
	}

	/** The reference's metrics for a track; empty until measured (a measurement is then started). */
	List<Metric> forTrack(String taskId, String trackId) {
		Task task = this.catalog.find(taskId).orElse(null);
		Track track = (task != null) ? task.track(trackId).orElse(null) : null;
		if (track == null) {
			return List.of();
		}
		String imageId = this.monitor.imageId(track.image()).orElse(null);
		if (imageId == null) {
			return List.of();
		}
		List<Metric> stored = this.jdbc.sql("""
				SELECT name, metric_value, unit, lower_is_better FROM reference_metric
				WHERE task_id = :task AND track_id = :track AND image_id = :image ORDER BY name""")
			.param("task", taskId)
			.param("track", trackId)
			.param("image", imageId)
			.query((rs, row) -> new Metric(rs.getString(1), rs.getDouble(2), rs.getString(3), rs.getBoolean(4)))
			.list();
		if (stored.isEmpty()) {
			measureLater(task, track, imageId);
		}
		return stored;
	}

	private void measureLater(Task task, Track track, String imageId) {
		String key = task.id() + "/" + track.id() + "@" + imageId;
		if (!this.measuring.add(key)) {
			return;
		}
		this.worker.execute(() -> {
			try {
				Verdict verdict = this.grader.grade("reference-" + UUID.randomUUID(), task, track, track.solution(),
						(text) -> {
						});
				if (!verdict.passed()) {
					logger.warn("The reference solution of {}/{} did not pass ({}): no reference metrics", task.id(),
							track.id(), verdict.message());
					return;
				}
				store(task, track, imageId, verdict.metrics());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not measure the reference of {}/{}: {}", task.id(), track.id(), ex.getMessage());
			}
			finally {
				this.measuring.remove(key);
			}
		});
	}

	private void store(Task task, Track track, String imageId, List<Metric> metrics) {
		for (Metric metric : metrics) {
			this.jdbc.sql("""
					INSERT INTO reference_metric (task_id, track_id, image_id, name, metric_value, unit,
					lower_is_better, measured_at) VALUES (:task, :track, :image, :name, :value, :unit, :lower, :at)""")
				.param("task", task.id())
				.param("track", track.id())
				.param("image", imageId)
				.param("name", metric.name())
				.param("value", metric.value())
				.param("unit", metric.unit())
				.param("lower", metric.lowerIsBetter())
				.param("at", Instant.now().atOffset(ZoneOffset.UTC))
				.update();
		}
	}

	@PreDestroy
	void shutdown() {
		this.worker.shutdownNow();
	}

}
