package org.ffilab.system;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A unix-socket proxy in front of the real Docker engine, so that a test can take the engine away
 * from one app without stopping it for everybody else on the machine. Byte for byte, half-closes
 * passed on (the attach stream's stdin ends with one), two threads per connection.
 */
final class EngineProxy implements AutoCloseable {

	private final Path socket;

	private final Path engine;

	private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

	/** Connections taken while frozen: never answered. */
	private final Set<SocketChannel> held = ConcurrentHashMap.newKeySet();

	private ServerSocketChannel listener;

	private volatile boolean frozen;

	EngineProxy(Path socket, Path engine) throws IOException {
		this.socket = socket;
		this.engine = engine;
		listen();
	}

	Path socket() {
		return this.socket;
	}

	/** The engine is gone, as when dockerd stops: the socket file disappears and every connection drops. */
	synchronized void cut() throws IOException {
		this.listener.close();
		Files.deleteIfExists(this.socket);
		closeConnections();
	}

	/**
	 * The first moments of a dockerd stopping on SIGTERM: its socket file is gone, so new
	 * connections fail, but it goes on answering on the connections it already has.
	 */
	synchronized void stopListening() throws IOException {
		this.listener.close();
		Files.deleteIfExists(this.socket);
	}

	/**
	 * Every open connection drops while the engine stays reachable, as when an engine that keeps its
	 * containers through a restart (live-restore) comes back at once: a run's output stream is cut
	 * under a running container.
	 */
	synchronized void dropConnections() {
		closeConnections();
	}

	/**
	 * The engine stops answering but keeps its connections, as a frozen or overloaded dockerd does:
	 * nothing passes any more, and new connections are taken and never answered.
	 */
	synchronized void freeze() {
		this.frozen = true;
	}

	/** The engine is back. Connections held while frozen are dropped: they carry half-passed messages. */
	synchronized void restore() throws IOException {
		if (this.frozen) {
			// Closed before the pumps are let go, so that nothing they held passes on.
			closeConnections();
			this.frozen = false;
			this.held.forEach(EngineProxy::closeQuietly);
			this.held.clear();
		}
		if (!this.listener.isOpen()) {
			listen();
		}
	}

	@Override
	public synchronized void close() throws IOException {
		this.listener.close();
		Files.deleteIfExists(this.socket);
		closeConnections();
	}

	private void listen() throws IOException {
		Files.deleteIfExists(this.socket);
		ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		server.bind(UnixDomainSocketAddress.of(this.socket));
		this.listener = server;
		Thread.ofPlatform().daemon().name("engine-proxy-accept").start(() -> acceptAll(server));
	}

	private void acceptAll(ServerSocketChannel server) {
		try {
			while (true) {
				SocketChannel client = server.accept();
				if (this.frozen) {
					this.held.add(client);
					continue;
				}
				this.connections.add(client);
				SocketChannel upstream;
				try {
					upstream = SocketChannel.open(UnixDomainSocketAddress.of(this.engine));
				}
				catch (IOException ex) {
					closeQuietly(client);
					continue;
				}
				this.connections.add(upstream);
				pump(client, upstream);
				pump(upstream, client);
			}
		}
		catch (IOException ex) {
			// The listener was closed: the engine is gone.
		}
	}

	private void pump(SocketChannel from, SocketChannel to) {
		Thread.ofPlatform().daemon().name("engine-proxy-pump").start(() -> {
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			try {
				while (from.read(buffer.clear()) >= 0) {
					while (this.frozen && from.isOpen()) {
						Thread.sleep(20);
					}
					buffer.flip();
					while (buffer.hasRemaining()) {
						to.write(buffer);
					}
				}
				to.shutdownOutput();
			}
			catch (IOException ex) {
				closeQuietly(from);
				closeQuietly(to);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

	private void closeConnections() {
		this.connections.forEach(EngineProxy::closeQuietly);
		this.connections.clear();
		this.held.forEach(EngineProxy::closeQuietly);
		this.held.clear();
	}

	private static void closeQuietly(SocketChannel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
