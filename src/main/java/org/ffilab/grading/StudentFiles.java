package org.ffilab.grading;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ffilab.grading.Verdict.Frame;

/**
 * Which files of a run are the student's. Tools name a file in three ways: absolute in the sandbox's
 * work dir ({@code /work/leak.c}: sanitizers, Valgrind, Go), as given to the compiler ({@code leak.c}:
 * gdb) or bare ({@code Native.java}: Java stack traces). All become the path the student sees, and a
 * frame is the student's when that path is one of the run's editable files.
 */
final class StudentFiles {

	/** The sandbox's work dir (sandbox-images/README.md), where the student's and the task's files are. */
	static final String WORKDIR = "/work/";

	static final int MAX_PATH = 300;

	static final int MAX_FUNCTION = 300;

	private final Set<String> editable = new HashSet<>();

	private final Set<String> editableNames = new HashSet<>();

	private final Set<String> known = new HashSet<>();

	private final Set<String> knownNames = new HashSet<>();

	/**
	 * @param editable the student's files (relative to the work dir)
	 * @param support the task's hidden files beside them
	 */
	StudentFiles(Collection<String> editable, Collection<String> support) {
		for (String name : editable) {
			String path = normalize(name);
			this.editable.add(path);
			this.editableNames.add(baseName(path));
		}
		this.known.addAll(this.editable);
		this.knownNames.addAll(this.editableNames);
		for (String name : support) {
			String path = normalize(name);
			this.known.add(path);
			this.knownNames.add(baseName(path));
		}
	}

	static StudentFiles none() {
		return new StudentFiles(List.of(), List.of());
	}

	/** A tool's frame with its path as the student sees it and the student flag set. */
	Frame resolve(Frame raw) {
		String file = path(raw.file());
		Integer line = (raw.line() != null && raw.line() > 0) ? raw.line() : null;
		String function = clip(blankToNull(raw.function()), MAX_FUNCTION);
		return new Frame(file, line, function, isStudent(raw.file()));
	}

	/** The path the student sees: relative to the work dir when inside it, otherwise as the tool said. */
	String path(String raw) {
		String file = blankToNull(raw);
		if (file == null) {
			return null;
		}
		if (file.startsWith(WORKDIR)) {
			String relative = normalize(file.substring(WORKDIR.length()));
			// "/work/../etc/passwd" is not in the work dir: keep what the tool said.
			file = relative.startsWith("../") || relative.isEmpty() ? file : relative;
		}
		return clip(file, MAX_PATH);
	}

	/** True when the file is one of the student's editable files. */
	boolean isStudent(String raw) {
		return matches(raw, this.editable, this.editableNames);
	}

	/**
	 * True when the file was built or placed in the work dir (the student's or the task's code, or a
	 * library built there), not in the runtime, libc or the interpreter.
	 */
	boolean isLocal(String raw) {
		String file = blankToNull(raw);
		if (file == null) {
			return false;
		}
		if (file.startsWith(WORKDIR)) {
			return !normalize(file.substring(WORKDIR.length())).startsWith("../");
		}
		return matches(file, this.known, this.knownNames);
	}

	private static boolean matches(String raw, Set<String> paths, Set<String> names) {
		String file = blankToNull(raw);
		if (file == null) {
			return false;
		}
		String relative;
		if (file.startsWith(WORKDIR)) {
			relative = normalize(file.substring(WORKDIR.length()));
		}
		else if (file.startsWith("/")) {
			// Absolute elsewhere: a header in /usr/include or Go's runtime, never the student's file.
			return false;
		}
		else {
			relative = normalize(file);
		}
		if (relative.startsWith("../") || relative.isEmpty()) {
			return false;
		}
		if (paths.contains(relative)) {
			return true;
		}
		// A bare name (gdb's "leak.c", Java's "Native.java") matches a file of that name anywhere.
		return !file.contains("/") && names.contains(relative);
	}

	/** Resolves "." and ".." segments and doubled slashes; a leading ".." survives. */
	static String normalize(String path) {
		Deque<String> parts = new ArrayDeque<>();
		int up = 0;
		for (String part : path.split("/")) {
			if (part.isEmpty() || part.equals(".")) {
				continue;
			}
			if (part.equals("..")) {
				if (parts.isEmpty()) {
					up++;
				}
				else {
					parts.removeLast();
				}
			}
			else {
				parts.addLast(part);
			}
		}
		return "../".repeat(up) + String.join("/", parts);
	}

	private static String baseName(String path) {
		int slash = path.lastIndexOf('/');
		return (slash < 0) ? path : path.substring(slash + 1);
	}

	static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	static String clip(String text, int max) {
		return (text == null || text.length() <= max) ? text : text.substring(0, max) + "...";
	}

}
