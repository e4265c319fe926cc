package org.ffilab.hostile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.ffilab.testsupport.LabSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab's HTTP API as a browser uses it, with a liveness probe that must answer within a second. */
final class LabClient {

	static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(1);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	private final LabSession session;

	LabClient(LabSession session) {
		this.port = session.port();
		this.session = session;
	}

	/** Submits the files and returns the new run's id. */
	String submit(String task, String track, Map<String, String> files) {
		HttpResponse<String> response = post(body(task, track, files));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("id").asString();
	}

	HttpResponse<String> post(String body) {
		return this.session.postJson("/api/runs", body);
	}

	JsonNode run(String id) {
		HttpResponse<String> response = this.session.get("/api/runs/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/** Asks for liveness; fails unless the answer is UP and arrives within {@link #LIVENESS_DEADLINE}. */
	Duration liveness() {
		long started = System.nanoTime();
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/actuator/health/liveness"))
			.GET()
			.timeout(LIVENESS_DEADLINE)
			.build());
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).path("status").asString()).isEqualTo("UP");
		assertThat(took).as("liveness answered in %s ms", took.toMillis()).isLessThan(LIVENESS_DEADLINE);
		return took;
	}

	/** The body of POST /api/runs. */
	static String body(String task, String track, Map<String, String> files) {
		return JSON.writeValueAsString(Map.of("task", task, "track", track, "files", files));
	}

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new AssertionError(request.method() + " " + request.uri() + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
