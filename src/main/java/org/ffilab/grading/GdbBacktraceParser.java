package org.ffilab.grading;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * A crash by signal as gdb shows it in batch mode ("gdb -batch -ex run -ex bt", or "thread apply all
 * bt"): "Program received signal SIGSEGV, Segmentation fault." and the backtrace. With all threads'
 * backtraces, the stack is that of the thread that received the signal.
 */
final class GdbBacktraceParser implements ReportParser {

	private static final Pattern SIGNAL = Pattern.compile(
			"^(?:Program|Thread (\\d+)(?: \"[^\"]*\")?) (?:received|terminated with) signal (SIG[A-Z0-9]+), (.*?)\\.?\\s*$");

	private static final Pattern THREAD = Pattern.compile("^Thread (\\d+) \\(.*\\):\\s*$");

	private static final Pattern FRAME = Pattern.compile("^#(\\d+)\\s+(?:0x\\p{XDigit}+ in )?(.*)$");

	private static final Pattern AT = Pattern.compile("\\s+at (\\S+):(\\d+)\\s*$");

	private static final Pattern FROM = Pattern.compile("\\s+from (\\S+)\\s*$");

	@Override
	public String tool() {
		return "gdb";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains(" signal SIG") && text.contains("#0 ");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		Crash crash = null;
		String thread = null;
		for (String line : ReportText.lines(text)) {
			if (sink.full()) {
				return;
			}
			Matcher m = SIGNAL.matcher(line);
			if (m.matches()) {
				emit(crash, sink);
				crash = new Crash(m.group(1), m.group(2), m.group(3));
				thread = null;
				continue;
			}
			if (crash == null) {
				continue;
			}
			m = THREAD.matcher(line);
			if (m.matches()) {
				thread = m.group(1);
				continue;
			}
			Frame frame = frame(line);
			if (frame != null) {
				List<Frame> stack = crash.stacks.computeIfAbsent(thread, (key) -> new ArrayList<>());
				if (stack.size() <= FindingSink.MAX_FRAMES) {
					stack.add(frame);
				}
			}
		}
		emit(crash, sink);
	}

	private static void emit(Crash crash, FindingSink sink) {
		if (crash == null) {
			return;
		}
		List<Frame> frames = crash.stacks.get(crash.thread);
		if (frames == null) {
			frames = crash.stacks.isEmpty() ? List.of() : crash.stacks.values().iterator().next();
		}
		String message = "The program was killed by " + crash.signal + " (" + crash.description + ")"
				+ ((crash.thread != null) ? " in thread " + crash.thread : "");
		sink.add("gdb", FindingKind.CRASH, message, frames, null);
	}

	/**
	 * "#1  0x000055740a1611af in copy_name (j=0x7ffe823c7bd0) at tcrash.c:9", "#4  0x... in ?? () from
	 * /lib/x86_64-linux-gnu/libffi.so.8"; null when the line is not a frame.
	 */
	static Frame frame(String line) {
		Matcher m = FRAME.matcher(line.strip());
		if (!m.matches()) {
			return null;
		}
		String rest = m.group(2);
		String file = null;
		Integer number = null;
		Matcher at = AT.matcher(rest);
		Matcher from = FROM.matcher(rest);
		if (at.find()) {
			file = at.group(1);
			number = Frames.number(at.group(2));
			rest = rest.substring(0, at.start());
		}
		else if (from.find()) {
			file = from.group(1);
			rest = rest.substring(0, from.start());
		}
		int args = rest.indexOf(" (");
		String function = ((args >= 0) ? rest.substring(0, args) : rest).strip();
		if (function.equals("??") || function.isEmpty()) {
			function = null;
		}
		return new Frame(file, number, function, false);
	}

	/** A signal and the backtraces printed after it, by thread ("null" when gdb printed no thread header). */
	private static final class Crash {

		final String thread;

		final String signal;

		final String description;

		final Map<String, List<Frame>> stacks = new LinkedHashMap<>();

		Crash(String thread, String signal, String description) {
			this.thread = thread;
			this.signal = signal;
			this.description = description;
		}

	}

}
