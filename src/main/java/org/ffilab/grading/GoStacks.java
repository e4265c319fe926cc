package org.ffilab.grading;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * Go's stack traces, shared by the race detector and the panic parser: a function line, then its
 * file on the next line, indented ("main.main()" / "\t/work/main.go:20 +0x85").
 */
final class GoStacks {

	/** "\t/work/main.go:20 +0x85", "      /work/race.go:13 +0x44", "\t_cgo_gotypes.go:61 +0x3f fp=0x... sp=0x..." */
	private static final Pattern FILE = Pattern.compile("^\\s+(\\S+?):(\\d+)(?:\\s+\\+0x\\p{XDigit}+)?(?:\\s.*)?$");

	private GoStacks() {
	}

	/**
	 * The function of a line like "main.(*T).m(0xc000012345)", "main.main.func1(...)" or "created by
	 * main.main in goroutine 1", without its arguments; null when the line is not one.
	 */
	static String function(String line) {
		String text = line.strip();
		boolean created = text.startsWith("created by ");
		if (created) {
			text = text.substring("created by ".length()).replaceFirst(" in goroutine \\d+$", "");
		}
		String name = created ? text : null;
		if (!created && text.endsWith(")")) {
			// The argument list is the last balanced (...) group: "main.(*T).m(0x1, 0x2)".
			int depth = 0;
			for (int i = text.length() - 1; i > 0; i--) {
				char c = text.charAt(i);
				depth += (c == ')') ? 1 : (c == '(') ? -1 : 0;
				if (depth == 0) {
					name = text.substring(0, i);
					break;
				}
			}
		}
		if (name == null || name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')
				|| name.contains(" ") || name.contains(":")) {
			return null;
		}
		return name;
	}

	/** Reads a trace line by line; the frames go into the list given. */
	static final class Reader {

		private final List<Frame> frames;

		private String function;

		Reader(List<Frame> frames) {
			this.frames = frames;
		}

		/** True when the line was part of the trace (a function or its file). */
		boolean line(String line) {
			if (line.isBlank()) {
				return false;
			}
			Matcher file = FILE.matcher(line);
			if (this.function != null && file.matches()) {
				if (this.frames.size() <= FindingSink.MAX_FRAMES) {
					this.frames.add(new Frame(file.group(1), Frames.number(file.group(2)), this.function, false));
				}
				this.function = null;
				return true;
			}
			String function = function(line);
			if (function != null) {
				this.function = function;
				return true;
			}
			return false;
		}

	}

}
