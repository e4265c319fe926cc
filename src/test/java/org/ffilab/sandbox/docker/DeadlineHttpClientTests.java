package org.ffilab.sandbox.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deadline on engine calls, against a real unix socket: docker-java's own response timeout
 * does not apply to a unix socket, so without it a call to an engine that took the connection and
 * then said nothing would never return.
 */
class DeadlineHttpClientTests {

	private static final Duration QUERY_TIMEOUT = Duration.ofMillis(300);

	@TempDir
	Path temp;

	private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

	private ServerSocketChannel server;

	private DockerClient docker;

	@AfterEach
	void close() throws IOException {
		if (this.docker != null) {
			this.docker.close();
		}
		if (this.server != null) {
			this.server.close();
		}
		for (SocketChannel channel : this.held) {
			channel.close();
		}
	}

	@Test
	@Timeout(30) // without the deadline the call blocks for ever: fail instead of hanging the build
	void aCallToAnEngineThatNeverAnswersFailsAtTheDeadline() throws Exception {
		this.docker = client(serve(false));
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.docker.versionCmd().exec())
			.withCauseInstanceOf(SocketTimeoutException.class)
			.withMessageContaining("did not answer GET /version within 300 ms");
		assertThat(Thread.currentThread().isInterrupted()).as("the deadline's interrupt is cleared").isFalse();
		assertThat(this.held).as("the engine had taken the connection").isNotEmpty();
	}

	@Test
	void aCallThatIsAnsweredInTimeLeavesNoInterruptBehind() throws Exception {
		this.docker = client(serve(true));
		assertThat(this.docker.versionCmd().exec().getVersion()).isEqualTo("fake");
		// Past the deadline: the cancelled alarm must not interrupt whatever the thread does next.
		Thread.sleep(QUERY_TIMEOUT.multipliedBy(3).toMillis());
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
		assertThat(this.docker.versionCmd().exec().getVersion()).isEqualTo("fake");
	}

	/** A unix socket that accepts connections and either answers every request or never says a word. */
	private Path serve(boolean answer) throws IOException {
		Path socket = this.temp.resolve("engine.sock");
		Files.deleteIfExists(socket);
		this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.server.bind(UnixDomainSocketAddress.of(socket));
		Thread.ofPlatform().daemon().start(() -> {
			try {
				while (true) {
					SocketChannel connection = this.server.accept();
					this.held.add(connection);
					if (answer) {
						Thread.ofPlatform().daemon().start(() -> answerAll(connection));
					}
				}
			}
			catch (IOException ex) {
				// Closed by the test.
			}
		});
		return socket;
	}

	private static void answerAll(SocketChannel connection) {
		byte[] body = "{\"Version\":\"fake\"}".getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
		var request = new StringBuilder();
		ByteBuffer buffer = ByteBuffer.allocate(4096);
		try {
			while (connection.read(buffer.clear()) > 0) {
				request.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
				while (request.indexOf("\r\n\r\n") >= 0) {
					request.delete(0, request.indexOf("\r\n\r\n") + 4);
					connection.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
					connection.write(ByteBuffer.wrap(body));
				}
			}
		}
		catch (IOException ex) {
			// Closed by the test.
		}
	}

	private static DockerClient client(Path socket) {
		var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix://" + socket).build();
		var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
			.responseTimeout(Duration.ofMinutes(5))
			.build();
		return DockerClientImpl.getInstance(config, new DeadlineHttpClient(http, QUERY_TIMEOUT, Duration.ofSeconds(20)));
	}

}
