package org.ffilab.system;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxStatus;
import org.ffilab.task.TaskCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Gauges of the sandbox: whether the engine answers, and whether each image the course needs is
 * there. They show the monitor's last answer, which a background thread refreshes every
 * {@link #REFRESH} through the monitor's cache, so a scrape never waits on the engine and never
 * makes it answer more often than that.
 */
@Component
class SandboxMetrics {

	static final String ENGINE_UP = "ffilab.sandbox.engine.up";

	static final String IMAGE_PRESENT = "ffilab.sandbox.image.present";

	static final Duration REFRESH = Duration.ofSeconds(15);

	private static final Logger logger = LoggerFactory.getLogger(SandboxMetrics.class);

	private final SandboxMonitor monitor;

	private final List<String> images;

	/** Its own thread: a slow engine must not hold up the app's scheduler (it flushes live output). */
	private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
		.name("sandbox-metrics")
		.daemon(true)
		.factory());

	private volatile SandboxStatus last;

	SandboxMetrics(MeterRegistry registry, SandboxMonitor monitor, TaskCatalog catalog,
			SandboxProperties properties) {
		this.monitor = monitor;
		this.images = catalog.images();
		Gauge.builder(ENGINE_UP, this, SandboxMetrics::engineUp)
			.description("1 when the container engine answers, 0 when it does not")
			.register(registry);
		for (String image : this.images) {
			String name = properties.imageName(image);
			Gauge.builder(IMAGE_PRESENT, this, (metrics) -> metrics.imagePresent(name))
				.description("1 when the engine has the sandbox image, 0 when it is missing or the engine is down")
				.tag("image", name)
				.register(registry);
		}
		this.refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void refresh() {
		try {
			this.last = this.monitor.status(this.images);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the sandbox status for the metrics: {}", ex.getMessage());
		}
	}

	private double engineUp() {
		SandboxStatus status = this.last;
		if (status == null) {
			return Double.NaN;
		}
		return status.engineReachable() ? 1 : 0;
	}

	private double imagePresent(String name) {
		SandboxStatus status = this.last;
		if (status == null) {
			return Double.NaN;
		}
		return (status.engineReachable() && !status.missingImages().contains(name)) ? 1 : 0;
	}

	@PreDestroy
	void stop() {
		this.refresher.shutdownNow();
	}

}
