package org.ffilab.system;

import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.sandbox.SandboxStatus;
import org.ffilab.task.TaskCatalog;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** /actuator/health shows whether the engine answers and which sandbox images are missing. */
@Component("sandbox")
class SandboxHealthIndicator implements HealthIndicator {

	private final SandboxMonitor monitor;

	private final TaskCatalog catalog;

	SandboxHealthIndicator(SandboxMonitor monitor, TaskCatalog catalog) {
		this.monitor = monitor;
		this.catalog = catalog;
	}

	@Override
	public Health health() {
		SandboxStatus status = this.monitor.status(this.catalog.images());
		Health.Builder health = status.ready() ? Health.up() : Health.down();
		return health.withDetail("engine", status.engineMessage())
			.withDetail("engineReachable", status.engineReachable())
			.withDetail("missingImages", status.missingImages())
			.build();
	}

}
