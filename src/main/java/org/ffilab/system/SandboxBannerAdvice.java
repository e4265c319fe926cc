package org.ffilab.system;

import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.sandbox.SandboxStatus;
import org.ffilab.task.TaskCatalog;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page gets a banner when runs cannot work: engine down or images missing. */
@ControllerAdvice(annotations = Controller.class)
class SandboxBannerAdvice {

	private final SandboxMonitor monitor;

	private final TaskCatalog catalog;

	SandboxBannerAdvice(SandboxMonitor monitor, TaskCatalog catalog) {
		this.monitor = monitor;
		this.catalog = catalog;
	}

	@ModelAttribute("sandboxWarning")
	String sandboxWarning() {
		SandboxStatus status = this.monitor.status(this.catalog.images());
		if (!status.engineReachable()) {
			return "Runs are unavailable: " + status.engineMessage()
					+ ". Start the Docker engine (scripts/lab engine) and reload.";
		}
		if (!status.missingImages().isEmpty()) {
			return "Some tasks cannot run: the sandbox images " + String.join(", ", status.missingImages())
					+ " are missing. Build them with scripts/lab images.";
		}
		return null;
	}

}
