package org.ffilab.testsupport;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser-like HTTP session with the lab: signs in through the real sign-in form, keeps the session cookie and
 * sends the CSRF token with every POST, like the pages do.
 */
public final class LabSession {

	public static final String PASSWORD = "correct-horse-battery";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern CSRF_META = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"");

	private static final Pattern CSRF_INPUT = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final int port;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http;

	private LabUser user;

	private String csrfToken;

	public LabSession(int port) {
		this.port = port;
		this.http = HttpClient.newBuilder()
			.cookieHandler(this.cookies)
			.connectTimeout(Duration.ofSeconds(5))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/** A new account with a unique username (prefix + random), signed in. */
	public static LabSession newUser(int port, Accounts accounts, String prefix, Role role) {
		return new LabSession(port).signIn(createUser(accounts, prefix, role));
	}

	/** A new account with a unique username (prefix + random) and {@link #PASSWORD}. */
	public static LabUser createUser(Accounts accounts, String prefix, Role role) {
		String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
		return accounts.create(username, prefix + " " + username.substring(prefix.length() + 1), PASSWORD, role);
	}

	/** Signs in through the form at /login; fails the test unless the form accepts the password. */
	public LabSession signIn(LabUser user) {
		HttpResponse<String> response = signInWith(user.username(), PASSWORD);
		assertThat(response.statusCode()).as("sign-in of %s", user.username()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElse("")).doesNotContain("error");
		this.user = user;
		this.csrfToken = null;
		return this;
	}

	/** Posts the sign-in form and returns the raw answer (302 to / or to /login?error). */
	public HttpResponse<String> signInWith(String username, String password) {
		String loginPage = get("/login").body();
		return postForm("/login", Map.of("username", username, "password", password), token(CSRF_INPUT, loginPage));
	}

	public LabUser user() {
		return this.user;
	}

	public HttpResponse<String> get(String path) {
		return send(request(path).GET().build());
	}

	/** GET of a JSON resource; fails the test unless it answers 200. */
	public JsonNode getJson(String path) {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	/** A JSON POST with the session's CSRF token, as the page's scripts send it. */
	public HttpResponse<String> postJson(String path, String body) {
		return json("POST", path, body, true);
	}

	/** A JSON POST that leaves the CSRF token out, as a forged cross-site request would. */
	public HttpResponse<String> postJsonWithoutCsrf(String path, String body) {
		return json("POST", path, body, false);
	}

	/** A JSON PUT with the session's CSRF token, as the page's scripts send it. */
	public HttpResponse<String> putJson(String path, String body) {
		return json("PUT", path, body, true);
	}

	/** A JSON PUT that leaves the CSRF token out, as a forged cross-site request would. */
	public HttpResponse<String> putJsonWithoutCsrf(String path, String body) {
		return json("PUT", path, body, false);
	}

	private HttpResponse<String> json(String method, String path, String body, boolean withCsrf) {
		HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(body));
		if (withCsrf) {
			request.header("X-CSRF-TOKEN", csrfToken());
		}
		return send(request.build());
	}

	/** A form POST with the session's CSRF token, as a page's form sends it. */
	public HttpResponse<String> postForm(String path, Map<String, String> fields) {
		return postForm(path, fields, csrfToken());
	}

	/** A form POST that leaves the CSRF token out, as a forged cross-site form would. */
	public HttpResponse<String> postFormWithoutCsrf(String path, Map<String, String> fields) {
		return sendForm(path, fields);
	}

	/** Posts the form of a page that works signed out (such as /signup) with the token that page carries. */
	public HttpResponse<String> postFormOf(String formPage, String path, Map<String, String> fields) {
		return postForm(path, fields, token(CSRF_INPUT, get(formPage).body()));
	}

	/** A file upload as a form with a file input sends it (multipart/form-data), with the CSRF token as a field. */
	public HttpResponse<String> postFile(String path, String field, String fileName, String content) {
		return postFile(path, field, fileName, content, true);
	}

	/** A file upload; without the token when {@code withCsrf} is false, as a forged cross-site form would send it. */
	public HttpResponse<String> postFile(String path, String field, String fileName, String content,
			boolean withCsrf) {
		String boundary = "----lab" + UUID.randomUUID().toString().replace("-", "");
		StringBuilder body = new StringBuilder();
		if (withCsrf) {
			body.append("--").append(boundary).append("\r\n")
				.append("Content-Disposition: form-data; name=\"_csrf\"\r\n\r\n")
				.append(csrfToken())
				.append("\r\n");
		}
		body.append("--").append(boundary).append("\r\n")
			.append("Content-Disposition: form-data; name=\"").append(field).append("\"; filename=\"")
			.append(fileName).append("\"\r\n")
			.append("Content-Type: text/csv\r\n\r\n")
			.append(content)
			.append("\r\n--").append(boundary).append("--\r\n");
		return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
			.POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
			.build());
	}

	/** Submits a run and returns its id; fails the test unless it is accepted. */
	public String submit(String task, String track, Map<String, String> files) {
		HttpResponse<String> response = postJson("/api/runs",
				JSON.writeValueAsString(Map.of("task", task, "track", track, "files", files)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		return JSON.readTree(response.body()).path("id").asString();
	}

	/** Submits a run and waits (up to 30 s) until it has ended; returns its id. */
	public String submitAndWait(String task, String track, Map<String, String> files) {
		String id = submit(task, track, files);
		Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> List.of("FINISHED", "ERROR").contains(getJson("/api/runs/" + id).path("status").asString()));
		return id;
	}

	/** The CSRF token the pages carry in their meta element (the value the browser's scripts send). */
	public String csrfToken() {
		if (this.csrfToken == null) {
			this.csrfToken = token(CSRF_META, get("/").body());
		}
		return this.csrfToken;
	}

	/** The Cookie header of this session, for a WebSocket handshake. */
	public String cookieHeader() {
		return this.cookies.getCookieStore()
			.get(uri("/"))
			.stream()
			.map(HttpCookie::toString)
			.collect(Collectors.joining("; "));
	}

	public URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	public int port() {
		return this.port;
	}

	private HttpResponse<String> postForm(String path, Map<String, String> fields, String token) {
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.put("_csrf", token);
		return sendForm(path, all);
	}

	private HttpResponse<String> sendForm(String path, Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map((e) -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String token(Pattern pattern, String html) {
		Matcher matcher = pattern.matcher(html);
		assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
		return matcher.group(1);
	}

}
