package org.ffilab.sandbox.docker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The containers of runs this instance could not remove because the engine was away. Their
 * removal is tried again in the background until the engine answers, so a running lab cleans up
 * after an engine restart by itself (the start-up reaper only helps the next start). They are
 * found by their run label, which also catches a container the engine created but could not
 * confirm before it went away. Only runs handed over here are touched, never another lab's
 * containers on the same engine, nor a run of this lab that is still going.
 */
@Component
class StrandedContainers {

	private static final Logger logger = LoggerFactory.getLogger(StrandedContainers.class);

	private final DockerClient docker;

	private final SandboxInstance instance;

	private final Set<String> runIds = ConcurrentHashMap.newKeySet();

	StrandedContainers(DockerClient docker, SandboxInstance instance) {
		this.docker = docker;
		this.instance = instance;
	}

	/** The run's container must go, but the engine cannot be asked now. */
	void add(String runId) {
		this.runIds.add(runId);
	}

	/** Runs whose containers are still to be removed. */
	Set<String> pending() {
		return Set.copyOf(this.runIds);
	}

	@Scheduled(fixedDelayString = "${ffilab.sandbox.engine.removal-retry:5s}")
	void retry() {
		for (String runId : List.copyOf(this.runIds)) {
			try {
				removeContainersOf(runId);
				this.runIds.remove(runId);
			}
			catch (RuntimeException ex) {
				// The engine is still away: all of them wait for the next round.
				logger.debug("Engine not back yet, {} stranded sandbox containers wait: {}", this.runIds.size(),
						ex.getMessage());
				return;
			}
		}
	}

	private void removeContainersOf(String runId) {
		List<Container> containers = this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of(ContainerSpec.RUN_LABEL + "=" + runId,
					ContainerSpec.INSTANCE_LABEL + "=" + this.instance.name()))
			.exec();
		for (Container container : containers) {
			try {
				this.docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
				logger.info("Removed sandbox container {} of run {}, left behind when the engine failed the run",
						container.getId(), runId);
			}
			catch (NotFoundException ex) {
				// Gone meanwhile.
			}
		}
	}

}
