package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * A Go program that died: a panic ("panic: runtime error: cgo argument has Go pointer to unpinned Go
 * pointer", the cgocheck of task 11), a fatal error (deadlock, concurrent map writes, a signal during
 * cgo execution) or a signal in C code. The stack is the first goroutine's: the one that failed.
 */
final class GoPanicParser implements ReportParser {

	private static final Pattern HEADER = Pattern.compile("^(panic|fatal error): (.*?)(?: \\[recovered\\])?\\s*$");

	/** A signal Go did not turn into a panic: "SIGSEGV: segmentation violation". */
	private static final Pattern SIGNAL_HEADER = Pattern.compile("^(SIG[A-Z]+): (.*)$");

	private static final Pattern SIGNAL = Pattern.compile("^\\[signal (SIG[A-Z]+)[^\\]]*\\]");

	private static final Pattern GOROUTINE = Pattern.compile("^goroutine \\d+ .*\\[.*\\]:\\s*$");

	@Override
	public String tool() {
		return "cgocheck";
	}

	@Override
	public boolean recognizes(String text) {
		return (text.contains("panic: ") || text.contains("fatal error: ") || text.contains("signal arrived during"))
				&& text.contains("goroutine ");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		Death death = null;
		for (String line : ReportText.lines(text)) {
			if (sink.full()) {
				return;
			}
			Matcher m = HEADER.matcher(line);
			if (m.find() || (m = SIGNAL_HEADER.matcher(line)).find()) {
				if (death == null || death.goroutineSeen) {
					emit(death, sink);
					death = new Death(m.group(2).strip(), m.group(1));
				}
				continue;
			}
			if (death == null) {
				continue;
			}
			Matcher signal = SIGNAL.matcher(line);
			if (signal.find()) {
				death.signal = signal.group(1);
			}
			else if (line.startsWith("signal arrived during cgo execution")) {
				death.inCgo = true;
			}
			else if (GOROUTINE.matcher(line).matches()) {
				// Only the first goroutine's stack: it is the one that panicked.
				death.reader = death.goroutineSeen ? null : new GoStacks.Reader(death.frames);
				death.goroutineSeen = true;
			}
			else if (line.startsWith("runtime stack:")) {
				death.reader = null;
			}
			else if (death.reader != null) {
				death.reader.line(line);
			}
		}
		emit(death, sink);
	}

	private static void emit(Death death, FindingSink sink) {
		if (death == null) {
			return;
		}
		String what = death.what.toLowerCase(Locale.ROOT);
		String kind;
		if (what.contains("go pointer") && (what.contains("cgo") || what.contains("non-go memory"))) {
			kind = FindingKind.CGO_POINTER;
		}
		else if (what.contains("deadlock")) {
			kind = FindingKind.DEADLOCK;
		}
		else if (what.startsWith("concurrent map")) {
			kind = FindingKind.DATA_RACE;
		}
		else {
			kind = FindingKind.CRASH;
		}
		String message = death.header + ": " + death.what;
		if (death.signal != null && !message.contains(death.signal)) {
			message += " (" + death.signal + ")";
		}
		if (death.inCgo) {
			message += "; the signal arrived during cgo execution (in C code)";
		}
		sink.add(FindingKind.CGO_POINTER.equals(kind) ? "cgocheck" : "go", kind, message, death.frames, null);
	}

	/** What killed the program, and the failing goroutine's stack. */
	private static final class Death {

		final String what;

		final String header;

		final List<Frame> frames = new ArrayList<>();

		String signal;

		boolean inCgo;

		boolean goroutineSeen;

		GoStacks.Reader reader;

		Death(String what, String header) {
			this.what = what;
			this.header = header;
		}

	}

}
