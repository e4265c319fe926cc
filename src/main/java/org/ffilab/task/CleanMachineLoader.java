package org.ffilab.task;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the {@code cleanMachine} section of a track.yml:
 *
 * <pre>
 * cleanMachine:
 *   image: python-runtime          # the second stage's image (no compiler)
 *   collect: [wheelhouse]          # what the first stage hands over, under /work
 *   check: clean_check.py          # the second stage's check, a file of the track folder
 *   tests: [installs and imports on a clean machine (no compiler)]
 *   limits: {wallSeconds: 60}      # optional, like the track's own
 * </pre>
 */
final class CleanMachineLoader {

	private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9-]*");

	/** A relative path of plain names: no leading '/', no '.' or '..' segment, nothing hidden. */
	private static final Pattern COLLECT_PATH = Pattern
		.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(/[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}){0,7}");

	private CleanMachineLoader() {
	}

	/** The track's clean-machine stage, or null when its track.yml declares none. */
	static CleanMachine load(Path trackDir, Path file, YamlDocument yaml) {
		if (!yaml.has("cleanMachine")) {
			return null;
		}
		YamlDocument section = yaml.optionalSection("cleanMachine");
		String image = section.requiredString("image");
		if (!IMAGE.matcher(image).matches()) {
			throw new ContentException(file, "'cleanMachine.image' must be a short image name such as python-runtime");
		}
		List<String> collect = section.stringList("collect", true);
		for (String path : collect) {
			if (!COLLECT_PATH.matcher(path).matches()) {
				throw new ContentException(file, "'cleanMachine.collect' path '" + path
						+ "' must be a relative path under the work directory, such as dist or build/wheels");
			}
		}
		String check = section.requiredString("check");
		if (!TrackLoader.FILE_NAME.matcher(check).matches() || check.equals("check.py")) {
			throw new ContentException(file,
					"'cleanMachine.check' must name a file of the track folder other than check.py");
		}
		List<String> tests = section.stringList("tests", true);
		return new CleanMachine(image, collect, TrackLoader.readBytes(trackDir.resolve(check)), tests,
				TrackLimits.read(section.optionalSection("limits")));
	}

}
