package org.ffilab.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads one track folder and checks that its parts agree with each other. */
final class TrackLoader {

	private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

	/** An editable file is a plain name: no folders, nothing hidden. */
	static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

	Track load(Path dir) {
		String id = dir.getFileName().toString();
		if (!NAME.matcher(id).matches()) {
			throw new ContentException(dir, "a track folder is named in lower-case letters, digits and '-'");
		}
		Path file = dir.resolve("track.yml");
		YamlDocument yaml = YamlDocument.parse(file, TaskLoader.readText(file));
		String image = yaml.requiredString("image");
		if (!NAME.matcher(image).matches()) {
			throw new ContentException(file, "'image' must be a short image name such as python");
		}
		List<String> editable = yaml.stringList("editable", true);
		for (String name : editable) {
			if (!FILE_NAME.matcher(name).matches()) {
				throw new ContentException(file, "editable file '" + name + "' must be a plain file name");
			}
		}
		var trackLimits = TrackLimits.read(yaml.optionalSection("limits"));
		Map<String, String> starter = editableFiles(dir.resolve("starter"), editable, true);
		Map<String, String> solution = editableFiles(dir.resolve("solution"), editable, true);
		Map<String, byte[]> support = supportFiles(dir.resolve("support"));
		for (String name : editable) {
			if (support.containsKey(name)) {
				throw new ContentException(dir.resolve("support").resolve(name),
						"a support file cannot have the name of an editable file");
			}
		}
		byte[] check = readBytes(dir.resolve("check.py"));
		return new Track(id, yaml.requiredString("title"), image, editable, trackLimits, starter, support, check,
				solution, hazards(dir.resolve("hazards"), editable), CleanMachineLoader.load(dir, file, yaml));
	}

	private static Map<String, String> editableFiles(Path dir, List<String> editable, boolean all) {
		Map<String, String> files = new LinkedHashMap<>();
		for (String name : editable) {
			Path file = dir.resolve(name);
			if (Files.isRegularFile(file)) {
				files.put(name, TaskLoader.readText(file));
			}
			else if (all) {
				throw new ContentException(file, "missing: every editable file needs a version here");
			}
		}
		try (Stream<Path> present = Files.list(dir)) {
			present.map((p) -> p.getFileName().toString())
				.filter((name) -> !editable.contains(name) && !name.equals("expected.json"))
				.findFirst()
				.ifPresent((name) -> {
					throw new ContentException(dir.resolve(name), "is not one of the track's editable files");
				});
		}
		catch (IOException ex) {
			throw new ContentException(dir, "cannot be read", ex);
		}
		return files;
	}

	private static Map<String, byte[]> supportFiles(Path dir) {
		Map<String, byte[]> files = new TreeMap<>();
		if (!Files.isDirectory(dir)) {
			return files;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(dir.relativize(file).toString().replace('\\', '/'), readBytes(file));
			}
		}
		catch (IOException ex) {
			throw new ContentException(dir, "cannot be read", ex);
		}
		return files;
	}

	private static List<Hazard> hazards(Path dir, List<String> editable) {
		List<Hazard> hazards = new ArrayList<>();
		if (!Files.isDirectory(dir)) {
			return hazards;
		}
		try (Stream<Path> dirs = Files.list(dir)) {
			for (Path hazardDir : dirs.filter(Files::isDirectory).sorted().toList()) {
				Map<String, String> files = editableFiles(hazardDir, editable, false);
				if (files.isEmpty()) {
					throw new ContentException(hazardDir, "a hazard changes at least one editable file");
				}
				hazards.add(new Hazard(hazardDir.getFileName().toString(), files,
						TaskLoader.readText(hazardDir.resolve("expected.json"))));
			}
		}
		catch (IOException ex) {
			throw new ContentException(dir, "cannot be read", ex);
		}
		return hazards;
	}

	static byte[] readBytes(Path file) {
		if (!Files.isRegularFile(file)) {
			throw new ContentException(file, "missing");
		}
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new ContentException(file, "cannot be read", ex);
		}
	}

}
