package org.ffilab.sandbox.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import org.ffilab.sandbox.SandboxMonitor;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxStatus;

import org.springframework.stereotype.Component;

/**
 * Asks the engine whether it is up and has the images, caching the answer for a moment (every page
 * and every health probe asks). A run that loses the engine drops the cached answer at once.
 */
@Component
class DockerSandboxMonitor implements SandboxMonitor {

	/** Short, so that health and the page banner follow an engine that stops or comes back within seconds. */
	private static final long CACHE_NANOS = 2_000_000_000L;

	private final DockerClient docker;

	private final SandboxProperties properties;

	private volatile Cached cached;

	DockerSandboxMonitor(DockerClient docker, SandboxProperties properties) {
		this.docker = docker;
		this.properties = properties;
	}

	@Override
	public SandboxStatus status(Collection<String> neededImages) {
		Cached current = this.cached;
		List<String> needed = List.copyOf(neededImages);
		if (current != null && current.images.equals(needed) && System.nanoTime() - current.at < CACHE_NANOS) {
			return current.status;
		}
		SandboxStatus status = probe(needed);
		this.cached = new Cached(needed, status, System.nanoTime());
		return status;
	}

	/** The engine was just seen failing: the next question asks it again. */
	void forget() {
		this.cached = null;
	}

	@Override
	public Optional<String> imageId(String image) {
		try {
			return Optional.ofNullable(this.docker.inspectImageCmd(this.properties.imageName(image)).exec().getId());
		}
		catch (RuntimeException ex) {
			return Optional.empty();
		}
	}

	private SandboxStatus probe(List<String> neededImages) {
		String version;
		List<String> missing = new ArrayList<>();
		try {
			connectAfresh();
			version = this.docker.versionCmd().exec().getVersion();
			for (String image : neededImages) {
				String name = this.properties.imageName(image);
				try {
					this.docker.inspectImageCmd(name).exec();
				}
				catch (NotFoundException ex) {
					missing.add(name);
				}
			}
		}
		catch (RuntimeException ex) {
			// Also when the engine goes away half-way through the images: the page banner must not fail.
			return new SandboxStatus(false, "The Docker engine at " + this.properties.dockerHost()
					+ " is not reachable: " + EngineErrors.rootMessage(ex), neededImages.stream().map(this.properties::imageName).toList());
		}
		return new SandboxStatus(true, "Docker " + version, missing);
	}

	/**
	 * A stopping engine removes its socket at once but goes on answering, for a while, on the
	 * connections it already has, which the client's pool reuses: only a new connection tells that
	 * it is going away. (A TCP engine is asked through the pool only.)
	 */
	private void connectAfresh() {
		URI host = URI.create(this.properties.dockerHost());
		if (!"unix".equals(host.getScheme())) {
			return;
		}
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(host.getPath()))) {
			// Connected: the engine takes new connections.
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Cached(List<String> images, SandboxStatus status, long at) {
	}

}
