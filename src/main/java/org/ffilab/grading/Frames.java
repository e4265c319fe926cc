package org.ffilab.grading;

import java.util.List;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/** Small helpers for stacks the parsers read. */
final class Frames {

	/** Frames of the allocator or thread library, which sit on top of "freed here" stacks and say nothing. */
	private static final Pattern PLUMBING = Pattern.compile(
			"(malloc|calloc|realloc|free|strdup|strndup|operator new.*|operator delete.*|pthread_create|__interceptor_.*)");

	private Frames() {
	}

	/** "in bad (uaf.c:11)": the first frame with a source line outside the allocator, or the top frame. */
	static String where(List<Frame> frames) {
		if (frames.isEmpty()) {
			return "";
		}
		Frame best = frames.stream()
			.filter((f) -> f.line() != null && f.function() != null && !PLUMBING.matcher(f.function()).matches())
			.findFirst()
			.orElse(frames.getFirst());
		String at = (best.function() != null) ? "in " + best.function() : "";
		if (best.file() != null) {
			at += " (" + best.file() + ((best.line() != null) ? ":" + best.line() : "") + ")";
		}
		return at.strip();
	}

	static Integer number(String digits) {
		try {
			int value = Integer.parseInt(digits.strip());
			return (value > 0) ? value : null;
		}
		catch (NumberFormatException | NullPointerException ex) {
			return null;
		}
	}

}
