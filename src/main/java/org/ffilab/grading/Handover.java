package org.ffilab.grading;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Reassembles the files a stage hands over from the harness's {@code artifact} frames and its
 * closing {@code artifacts} frame (docs/architecture.md). The harness is trusted, but its frames
 * are still read as if they were not: names must be plain relative paths, chunks must arrive in
 * order, and the total is capped. Anything amiss makes the whole hand-over fail with a
 * {@link #problem() problem}, never a partial set of files.
 */
public final class Handover {

	/** The most one stage may hand over (the harness enforces the same cap). */
	public static final int MAX_BYTES = 16 * 1024 * 1024;

	static final int MAX_FILES = 1000;

	private static final Pattern SEGMENT = Pattern.compile("[^/\\\\\\p{Cntrl}]{1,255}");

	private final Map<String, File> files = new LinkedHashMap<>();

	private long bytes;

	private boolean ended;

	private String problem;

	private final List<String> passedOver = new ArrayList<>();

	/** One {@code artifact} frame: {path, mode, size, offset, data (base64)}. */
	public void add(JsonNode frame) {
		if (this.problem != null || this.ended) {
			fail("the harness sent a file after the hand-over ended");
			return;
		}
		String path = frame.path("path").asString("");
		if (!plain(path)) {
			fail("the harness sent a file with an unusable name");
			return;
		}
		byte[] data;
		try {
			data = Base64.getDecoder().decode(frame.path("data").asString(""));
		}
		catch (IllegalArgumentException ex) {
			fail("the harness sent " + path + " damaged");
			return;
		}
		File file = this.files.get(path);
		if (file == null) {
			if (this.files.size() >= MAX_FILES) {
				fail("the harness sent more than " + MAX_FILES + " files");
				return;
			}
			file = new File(frame.path("mode").asInt(0644) == 0755, frame.path("size").asLong(-1));
			this.files.put(path, file);
		}
		if (frame.path("offset").asLong(-1) != file.data.size() || file.data.size() + data.length > file.size) {
			fail("the harness sent " + path + " out of order");
			return;
		}
		this.bytes += data.length;
		if (this.bytes > MAX_BYTES) {
			fail("the files to hand over are larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
			return;
		}
		file.data.writeBytes(data);
	}

	/** The closing {@code artifacts} frame: {files, bytes, missing, passedOver, error}. */
	public void end(JsonNode summary) {
		if (this.ended) {
			return;
		}
		this.ended = true;
		for (JsonNode path : summary.path("passedOver")) {
			if (path.isString() && this.passedOver.size() < 20) {
				this.passedOver.add(clip(path.asString(), 200));
			}
		}
		String error = summary.path("error").asString(null);
		if (error != null && !error.isBlank()) {
			fail(clip(error, 500));
			return;
		}
		for (Map.Entry<String, File> entry : this.files.entrySet()) {
			if (entry.getValue().data.size() != entry.getValue().size) {
				fail("the harness sent only part of " + entry.getKey());
				return;
			}
		}
		if (summary.path("files").asInt(-1) != this.files.size()) {
			fail("the harness announced " + summary.path("files").asInt(-1) + " files and sent " + this.files.size());
		}
	}

	/**
	 * Why the files cannot go on to the next stage, in words for the student; null when they can.
	 */
	public String problem() {
		if (this.problem == null && !this.ended) {
			return "the first stage ended before it had handed its files over";
		}
		return this.problem;
	}

	/** The files, in the order they came; empty when there is a {@link #problem() problem}. */
	public List<Artifact> files() {
		if (problem() != null) {
			return List.of();
		}
		List<Artifact> artifacts = new ArrayList<>();
		this.files.forEach((path, file) -> artifacts.add(new Artifact(path, file.data.toByteArray(), file.executable)));
		return artifacts;
	}

	/** What the harness left out because it was not a regular file (a link, a FIFO, ...). */
	public List<String> passedOver() {
		return List.copyOf(this.passedOver);
	}

	private static String clip(String text, int max) {
		return (text.length() > max) ? text.substring(0, max) + "…" : text;
	}

	private void fail(String problem) {
		if (this.problem == null) {
			this.problem = problem;
		}
		this.files.clear();
	}

	/** A relative path of plain names, as the harness sends it: no '.', '..', backslash or control character. */
	static boolean plain(String path) {
		if (path.isEmpty() || path.length() > 1024 || path.startsWith("/") || path.endsWith("/")) {
			return false;
		}
		for (String segment : path.split("/", -1)) {
			if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
				return false;
			}
		}
		return true;
	}

	private static final class File {

		private final boolean executable;

		private final long size;

		private final ByteArrayOutputStream data = new ByteArrayOutputStream();

		File(boolean executable, long size) {
			this.executable = executable;
			this.size = size;
		}

	}

}
