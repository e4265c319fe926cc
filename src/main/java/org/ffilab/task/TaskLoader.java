package org.ffilab.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads one task folder: task.md (front matter + statement) and its tracks. */
final class TaskLoader {

	private static final Pattern FOLDER = Pattern.compile("(\\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*");

	private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\R(.*?)\\R---\\R?(.*)\\z", Pattern.DOTALL);

	private final MarkdownRenderer markdown;

	private final TrackLoader tracks = new TrackLoader();

	TaskLoader(MarkdownRenderer markdown) {
		this.markdown = markdown;
	}

	Task load(Path dir) {
		String id = dir.getFileName().toString();
		Matcher folder = FOLDER.matcher(id);
		if (!folder.matches()) {
			throw new ContentException(dir, "a task folder is named NN-slug (two digits, then lower-case words)");
		}
		Path file = dir.resolve("task.md");
		Matcher parts = FRONT_MATTER.matcher(readText(file));
		if (!parts.matches()) {
			throw new ContentException(file, "must start with YAML front matter between two '---' lines");
		}
		YamlDocument front = YamlDocument.parse(file, parts.group(1));
		TaskLevel level;
		try {
			level = TaskLevel.fromKey(front.requiredString("level"));
		}
		catch (IllegalArgumentException ex) {
			throw new ContentException(file, ex.getMessage());
		}
		List<String> hints = front.stringList("hints", false).stream().map(this.markdown::render).toList();
		return new Task(id, Integer.parseInt(folder.group(1)), front.requiredString("title"), level,
				this.markdown.render(parts.group(2)), hints, front.stringList("selfCheck", false),
				loadTracks(dir.resolve("tracks")));
	}

	private Map<String, Track> loadTracks(Path tracksDir) {
		if (!Files.isDirectory(tracksDir)) {
			throw new ContentException(tracksDir, "missing: a task needs at least one track");
		}
		Map<String, Track> loaded = new LinkedHashMap<>();
		try (Stream<Path> dirs = Files.list(tracksDir)) {
			dirs.filter(Files::isDirectory).sorted().map(this.tracks::load).forEach((t) -> loaded.put(t.id(), t));
		}
		catch (IOException ex) {
			throw new ContentException(tracksDir, "cannot be read", ex);
		}
		if (loaded.isEmpty()) {
			throw new ContentException(tracksDir, "has no track folder");
		}
		return loaded;
	}

	static String readText(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new ContentException(file, "missing");
		}
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new ContentException(file, "cannot be read as UTF-8 text", ex);
		}
	}

}
