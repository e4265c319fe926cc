package org.ffilab.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny OpenID Connect provider for tests, on the JDK's HTTP server: discovery, a JWKS with an RSA key made at
 * start, /authorize that signs in whoever the test says (no login page) and redirects back with a code, and /token
 * that trades the code for an id_token signed with that key. It checks what a real provider checks (client id and
 * secret, redirect URI, PKCE) and can hand out a forged token or one from another issuer.
 */
public final class FakeOidcProvider implements AutoCloseable {

	public static final String CLIENT_ID = "ffi-lab";

	public static final String CLIENT_SECRET = "lab-client-secret";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final RSAKey key;

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final AtomicInteger discoveryRequests = new AtomicInteger();

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private volatile Person next = new Person("ada", "Ada Lovelace");

	private volatile Forgery forgery = Forgery.NONE;

	private volatile String forgedUsername;

	private FakeOidcProvider(HttpServer server, RSAKey key) {
		this.server = server;
		this.key = key;
	}

	public static FakeOidcProvider start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			FakeOidcProvider provider = new FakeOidcProvider(server, key);
			server.createContext("/.well-known/openid-configuration", provider::discovery);
			server.createContext("/jwks", provider::jwks);
			server.createContext("/authorize", provider::authorize);
			server.createContext("/token", provider::token);
			server.start();
			return provider;
		}
		catch (IOException | JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/realms/lab";
	}

	/** Spring Boot's client properties for this provider, with every endpoint given (no discovery needed). */
	public Map<String, String> clientProperties(String registrationId, String clientName) {
		String registration = "spring.security.oauth2.client.registration." + registrationId + ".";
		String provider = "spring.security.oauth2.client.provider." + registrationId + ".";
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put(registration + "client-id", CLIENT_ID);
		properties.put(registration + "client-secret", CLIENT_SECRET);
		properties.put(registration + "client-name", clientName);
		properties.put(registration + "scope", "openid,profile,email");
		properties.put(registration + "authorization-grant-type", "authorization_code");
		properties.put(registration + "redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}");
		properties.put(provider + "issuer-uri", issuer());
		properties.put(provider + "authorization-uri", endpoint("/authorize"));
		properties.put(provider + "token-uri", endpoint("/token"));
		properties.put(provider + "jwk-set-uri", endpoint("/jwks"));
		return properties;
	}

	/** Who /authorize signs in from now on. */
	public void signInNextAs(String preferredUsername, String name) {
		this.next = new Person(preferredUsername, name);
	}

	/** The next id_token is signed, then its preferred_username is changed to another's (as an attacker would try). */
	public void forgeNextIdTokenAs(String preferredUsername) {
		this.forgedUsername = preferredUsername;
		this.forgery = Forgery.TAMPERED;
	}

	/** The next code is refused at the token endpoint (invalid_grant), as after a restart of the provider. */
	public void refuseNextCode() {
		this.forgery = Forgery.REFUSED_CODE;
	}

	/** The next id_token is validly signed but names another issuer. */
	public void nextIdTokenFromAnotherIssuer() {
		this.forgery = Forgery.OTHER_ISSUER;
	}

	public int discoveryRequests() {
		return this.discoveryRequests.get();
	}

	public int tokenRequests() {
		return this.tokenRequests.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private String endpoint(String path) {
		return issuer().replace("/realms/lab", "") + path;
	}

	private void discovery(HttpExchange exchange) throws IOException {
		this.discoveryRequests.incrementAndGet();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", issuer());
		document.put("authorization_endpoint", endpoint("/authorize"));
		document.put("token_endpoint", endpoint("/token"));
		document.put("jwks_uri", endpoint("/jwks"));
		document.put("response_types_supported", List.of("code"));
		document.put("subject_types_supported", List.of("public"));
		document.put("id_token_signing_alg_values_supported", List.of("RS256"));
		document.put("scopes_supported", List.of("openid", "profile", "email"));
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
		respond(exchange, 200, "application/json", JSON.writeValueAsString(document));
	}

	private void jwks(HttpExchange exchange) throws IOException {
		respond(exchange, 200, "application/json", new JWKSet(this.key.toPublicJWK()).toString());
	}

	private void authorize(HttpExchange exchange) throws IOException {
		Map<String, String> query = parse(exchange.getRequestURI().getRawQuery());
		if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type"))
				|| !query.getOrDefault("scope", "").contains("openid") || query.get("redirect_uri") == null) {
			respond(exchange, 400, "text/plain", "bad authorization request: " + query);
			return;
		}
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new Grant(this.next, query.get("redirect_uri"), query.get("nonce"),
				query.get("code_challenge")));
		String location = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code="
				+ encode(code) + "&state=" + encode(query.getOrDefault("state", ""));
		exchange.getResponseHeaders().set("Location", location);
		respond(exchange, 302, "text/plain", "");
	}

	private void token(HttpExchange exchange) throws IOException {
		this.tokenRequests.incrementAndGet();
		String expected = "Basic " + Base64.getEncoder()
			.encodeToString((encode(CLIENT_ID) + ":" + encode(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8));
		if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
			return;
		}
		Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
		Grant grant = this.codes.remove(form.getOrDefault("code", ""));
		if (this.forgery == Forgery.REFUSED_CODE) {
			this.forgery = Forgery.NONE;
			grant = null;
		}
		if (!"authorization_code".equals(form.get("grant_type")) || grant == null
				|| !grant.redirectUri().equals(form.get("redirect_uri")) || !pkceHolds(grant, form.get("code_verifier"))) {
			respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
			return;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", UUID.randomUUID().toString());
		body.put("token_type", "Bearer");
		body.put("expires_in", 300);
		body.put("scope", "openid profile email");
		body.put("id_token", idToken(grant));
		respond(exchange, 200, "application/json", JSON.writeValueAsString(body));
	}

	private String idToken(Grant grant) {
		Forgery forgery = this.forgery;
		this.forgery = Forgery.NONE;
		Instant now = Instant.now();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
			.issuer((forgery == Forgery.OTHER_ISSUER) ? endpoint("/realms/other") : issuer())
			.subject("sub-" + grant.person().username())
			.audience(CLIENT_ID)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.claim("auth_time", now.getEpochSecond())
			.claim("azp", CLIENT_ID)
			.claim("preferred_username", grant.person().username())
			.claim("email", grant.person().username() + "@example.edu")
			.claim("email_verified", true);
		if (grant.person().name() != null) {
			claims.claim("name", grant.person().name());
		}
		if (grant.nonce() != null) {
			claims.claim("nonce", grant.nonce());
		}
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).type(JOSEObjectType.JWT).build(),
					claims.build());
			jwt.sign(new RSASSASigner(this.key));
			String token = jwt.serialize();
			if (forgery == Forgery.TAMPERED) {
				// The payload is swapped for one that names someone else; header and signature stay.
				String[] parts = token.split("\\.");
				JWTClaimsSet changed = new JWTClaimsSet.Builder(jwt.getJWTClaimsSet()).claim("preferred_username", this.forgedUsername)
					.build();
				String payload = Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(changed.toString().getBytes(StandardCharsets.UTF_8));
				token = parts[0] + "." + payload + "." + parts[2];
			}
			return token;
		}
		catch (JOSEException | ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean pkceHolds(Grant grant, String verifier) {
		if (grant.codeChallenge() == null) {
			return true;
		}
		if (verifier == null) {
			return false;
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).equals(grant.codeChallenge());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, String> parse(String encoded) {
		Map<String, String> values = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return values;
		}
		for (String pair : encoded.split("&")) {
			int eq = pair.indexOf('=');
			String name = (eq < 0) ? pair : pair.substring(0, eq);
			String value = (eq < 0) ? "" : pair.substring(eq + 1);
			values.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return values;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	/** Whom the provider signs in: their username and (optionally) their full name. */
	public record Person(String username, String name) {
	}

	private record Grant(Person person, String redirectUri, String nonce, String codeChallenge) {
	}

	private enum Forgery {

		NONE, TAMPERED, OTHER_ISSUER, REFUSED_CODE

	}

}
