package org.ffilab.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.account.LabUser;

import static org.assertj.core.api.Assertions.assertThat;

/** A scrape of /actuator/prometheus in Prometheus's text format, read into samples. */
public record PrometheusScrape(List<Sample> samples) {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	/** Scrapes as Prometheus does: HTTP Basic with an admin's name and {@link LabSession#PASSWORD}. */
	public static PrometheusScrape fetch(int port, LabUser admin) {
		String credentials = admin.username() + ":" + LabSession.PASSWORD;
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
			.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
			.GET()
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("scrape as %s", admin.username()).isEqualTo(200);
			return parse(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("The scrape failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static PrometheusScrape parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			if (!sample.matches()) {
				throw new IllegalArgumentException("Not a sample line: " + line);
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (sample.group(2) != null) {
				Matcher label = LABEL.matcher(sample.group(2));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(sample.group(1), labels, number(sample.group(3))));
		}
		return new PrometheusScrape(samples);
	}

	public Set<String> names() {
		Set<String> names = new TreeSet<>();
		this.samples.forEach((sample) -> names.add(sample.name()));
		return names;
	}

	/** The samples of that name whose labels include all the given ones. */
	public List<Sample> find(String name, Map<String, String> labels) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/** The value of the one sample of that name with (at least) those labels. */
	public double value(String name, Map<String, String> labels) {
		List<Sample> found = find(name, labels);
		if (found.size() != 1) {
			throw new AssertionError("Expected one sample " + name + labels + " but found " + found);
		}
		return found.get(0).value();
	}

	public double value(String name) {
		return value(name, Map.of());
	}

	private static double number(String text) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			default -> Double.parseDouble(text);
		};
	}

	public record Sample(String name, Map<String, String> labels, double value) {
	}

}
