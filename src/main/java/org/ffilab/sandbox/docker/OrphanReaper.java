package org.ffilab.sandbox.docker;

import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Removes the sandbox containers a previous run of this instance left behind (a crash, a kill -9). */
@Component
class OrphanReaper implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(OrphanReaper.class);

	private final DockerClient docker;

	private final SandboxInstance instance;

	OrphanReaper(DockerClient docker, SandboxInstance instance) {
		this.docker = docker;
		this.instance = instance;
	}

	@Override
	public void run(ApplicationArguments args) {
		try {
			reap();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not look for leftover sandbox containers: {}", ex.getMessage());
		}
	}

	int reap() {
		List<Container> leftovers = this.docker.listContainersCmd()
			.withShowAll(true)
			.withLabelFilter(List.of(ContainerSpec.INSTANCE_LABEL + "=" + this.instance.name()))
			.exec();
		for (Container container : leftovers) {
			try {
				this.docker.removeContainerCmd(container.getId()).withForce(true).exec();
				logger.info("Removed leftover sandbox container {} ({})", container.getId(),
						container.getLabels().get(ContainerSpec.RUN_LABEL));
			}
			catch (RuntimeException ex) {
				logger.warn("Could not remove leftover container {}: {}", container.getId(), ex.getMessage());
			}
		}
		return leftovers.size();
	}

}
