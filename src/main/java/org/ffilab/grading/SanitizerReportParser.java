package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * AddressSanitizer, LeakSanitizer, ThreadSanitizer and UndefinedBehaviorSanitizer text reports. They
 * share one shape: a header (ERROR, WARNING or "runtime error"), stacks of "#N" frames under section
 * lines, and a SUMMARY. The first stack is where it went wrong; the later ones (freed here, previous
 * write) go into the message. Lines that fit nowhere are skipped: the program's own output is often
 * interleaved with the report, even in the middle of a line.
 */
final class SanitizerReportParser implements ReportParser {

	/** Not anchored: the program's own output may run into the report's first line. */
	private static final Pattern ERROR = Pattern.compile("(?:==\\d+==)?\\s*ERROR: (\\w*Sanitizer): (.*)$");

	private static final Pattern WARNING = Pattern
		.compile("(?:==\\d+==)?\\s*WARNING: (ThreadSanitizer): (.*?)(?:\\s*\\(pid=\\d+\\))?\\s*$");

	private static final Pattern RUNTIME_ERROR = Pattern.compile("(\\S+?):(\\d+):(?:\\d+:)? runtime error: (.*)$");

	private static final Pattern LEAK = Pattern
		.compile("^\\s*(Direct|Indirect) leak of (\\d+) byte\\(s\\) in (\\d+) object\\(s\\) allocated from");

	private static final Pattern SUMMARY = Pattern.compile("^\\s*SUMMARY: (\\w*Sanitizer): (.*)$");

	private static final Pattern SUMMARY_LOCATION = Pattern.compile("\\s(\\S+?):(\\d+)(?::\\d+)?\\s+in\\s+(\\S+)\\s*$");

	private static final Pattern ASAN_ACCESS = Pattern
		.compile("^\\s*(READ|WRITE) of size (\\d+) at 0x\\p{XDigit}+ thread (T\\d+)");

	private static final Pattern TSAN_ACCESS = Pattern.compile(
			"^\\s*(Previous )?(atomic )?(read|write) of size (\\d+) at 0x\\p{XDigit}+ by (main thread|thread T\\d+)",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern FRAME = Pattern.compile("^\\s*#(\\d+)\\s+(.*)$");

	private static final Pattern LOCATION = Pattern.compile("^(.+?):(\\d+)(?::\\d+)?$");

	private static final Pattern BUILD_ID = Pattern.compile("\\s*\\(BuildId: \\p{XDigit}+\\)\\s*$");

	private static final Pattern MODULE = Pattern.compile("\\s*\\(([^()\\s]+)\\+0x\\p{XDigit}+\\)\\s*$");

	private static final Pattern PC = Pattern.compile("^0x\\p{XDigit}+\\s*");

	/** Registers in a header ("at pc 0x.. bp 0x.. sp 0x..", "(pc 0x.. bp 0x.. sp 0x.. T0)"): noise to a student. */
	private static final Pattern REGISTERS = Pattern
		.compile("\\s*\\(pc 0x[^)]*\\)|\\s+at pc 0x\\p{XDigit}+( bp 0x\\p{XDigit}+)?( sp 0x\\p{XDigit}+)?");

	private static final Pattern ADDRESS = Pattern.compile(" at 0x\\p{XDigit}+( \\([^)]*\\))?");

	/** Lines that describe the memory involved ("0x602... is located 4 bytes inside of 16-byte region"). */
	private static final Pattern DESCRIPTION = Pattern
		.compile("^(0x\\p{XDigit}+ is located|Address 0x\\p{XDigit}+ is|Location is) ");

	/** The other places worth naming in the message: where the memory was freed or allocated, the other access. */
	private static final Pattern OTHER_SITE = Pattern.compile("^(previous|freed by|previously allocated by|allocated by)",
			Pattern.CASE_INSENSITIVE);

	@Override
	public String tool() {
		return "asan";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains("Sanitizer: ") || text.contains(": runtime error: ");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		Block block = null;
		for (String line : ReportText.lines(text)) {
			if (sink.full()) {
				return;
			}
			Block next = header(line);
			if (next != null) {
				emit(block, sink);
				block = next;
				continue;
			}
			if (block == null) {
				continue;
			}
			if (block.consume(line)) {
				emit(block, sink);
				block = null;
			}
		}
		emit(block, sink);
	}

	/** A line that starts a report: an ERROR, a ThreadSanitizer WARNING or a UBSan runtime error. */
	private static Block header(String line) {
		if (!line.contains("Sanitizer: ") && !line.contains(": runtime error: ")) {
			return null;
		}
		Matcher m = ERROR.matcher(line);
		if (m.find()) {
			return new Block(m.group(1), REGISTERS.matcher(m.group(2)).replaceAll("").replaceFirst(":\\s*$", ""), true);
		}
		m = WARNING.matcher(line);
		if (m.find()) {
			return new Block(m.group(1), m.group(2), false);
		}
		m = RUNTIME_ERROR.matcher(line);
		if (line.contains(": runtime error: ") && m.find()) {
			Block block = new Block("UndefinedBehaviorSanitizer", m.group(3), false);
			block.kind = FindingKind.UNDEFINED_BEHAVIOR;
			block.where = new Frame(m.group(1), Frames.number(m.group(2)), null, false);
			return block;
		}
		return null;
	}

	private static void emit(Block block, FindingSink sink) {
		if (block == null) {
			return;
		}
		String tool = SanitizerKinds.tool(block.sanitizer);
		if (!block.leaks.isEmpty()) {
			for (Section leak : block.leaks) {
				sink.addLocal(tool, FindingKind.LEAK, leak.title, leak.frames, leak.bytes);
			}
			return;
		}
		if (block.description.startsWith("detected memory leaks")) {
			return; // the leak list was cut off before its first leak
		}
		String kind = (block.kind != null) ? block.kind
				: SanitizerKinds.of((block.summaryKind != null) ? block.summaryKind : block.description, block.write,
						block.fatal);
		List<Frame> frames = block.sections.isEmpty() ? List.of() : block.sections.getFirst().frames;
		if (frames.isEmpty() && block.where != null) {
			frames = List.of(block.where);
		}
		sink.add(tool, kind, block.message(), frames, null);
	}

	/**
	 * A "#N ..." stack frame line, in ASan's form ("#0 0x... in fn file:line:col") or TSan's ("#0 fn
	 * file:line:col (module+0x..)"); null when the line is not one.
	 */
	static Frame frame(String line) {
		Matcher m = FRAME.matcher(line);
		// Every sanitizer frame has an address (a pc or module+offset); "#1 winner" is the program's output.
		if (!m.matches() || !m.group(2).contains("0x")) {
			return null;
		}
		String rest = BUILD_ID.matcher(m.group(2)).replaceFirst("");
		String module = null;
		Matcher mod = MODULE.matcher(rest);
		if (mod.find()) {
			module = mod.group(1);
			rest = rest.substring(0, mod.start());
		}
		rest = PC.matcher(rest.strip()).replaceFirst("");
		if (rest.startsWith("in ")) {
			rest = rest.substring(3);
		}
		String file = null;
		Integer number = null;
		int space = rest.lastIndexOf(' ');
		if (space > 0) {
			String last = rest.substring(space + 1);
			Matcher location = LOCATION.matcher(last);
			if (location.matches()) {
				file = location.group(1);
				number = Frames.number(location.group(2));
				rest = rest.substring(0, space);
			}
			else if (last.equals("<null>")) {
				rest = rest.substring(0, space);
			}
		}
		String function = rest.strip();
		return new Frame((file != null) ? file : module, number, function.isEmpty() ? null : function, false);
	}

	/** One stack of a report, under the line that introduced it. */
	private static final class Section {

		final String title;

		final List<Frame> frames = new ArrayList<>();

		Long bytes;

		Section(String title) {
			this.title = title;
		}

	}

	/** One report, from its header to its SUMMARY (or wherever the text ends). */
	private static final class Block {

		final String sanitizer;

		final String description;

		final boolean fatal;

		final List<Section> sections = new ArrayList<>();

		final List<Section> leaks = new ArrayList<>();

		final List<String> details = new ArrayList<>();

		String kind;

		String summaryKind;

		String access;

		boolean write;

		Frame where;

		Section current;

		Block(String sanitizer, String description, boolean fatal) {
			this.sanitizer = sanitizer;
			this.description = description.strip();
			this.fatal = fatal;
			this.current = new Section(null);
			this.sections.add(this.current);
		}

		/** Takes one line of the report; true when the report has ended. */
		boolean consume(String line) {
			Frame frame = frame(line);
			if (frame != null) {
				if (line.strip().startsWith("#0 ") && !this.current.frames.isEmpty()) {
					// A new stack without a section line of its own (the line was lost in the noise).
					startSection(null);
				}
				this.current.frames.add(frame);
				return false;
			}
			String text = line.strip();
			Matcher m = SUMMARY.matcher(text);
			if (m.find()) {
				summary(m.group(2));
				return true;
			}
			if (text.startsWith("==================") || text.matches("==\\d+==ABORTING")) {
				return true;
			}
			m = LEAK.matcher(text);
			if (m.find()) {
				Section leak = new Section(m.group(1) + " leak of " + m.group(2) + " bytes in " + m.group(3)
						+ ("1".equals(m.group(3)) ? " object" : " objects"));
				leak.bytes = Long.valueOf(m.group(2).length() > 18 ? "0" : m.group(2));
				this.leaks.add(leak);
				this.current = leak;
				return false;
			}
			m = ASAN_ACCESS.matcher(text);
			if (m.find()) {
				access(m.group(1) + " of size " + m.group(2) + " by thread " + m.group(3), m.group(1).equals("WRITE"),
						false);
				return false;
			}
			m = TSAN_ACCESS.matcher(text);
			if (m.find()) {
				String access = ((m.group(1) != null) ? "previous " : "") + ((m.group(2) != null) ? "atomic " : "")
						+ m.group(3).toLowerCase(Locale.ROOT) + " of size " + m.group(4) + " by " + m.group(5);
				access(Character.toUpperCase(access.charAt(0)) + access.substring(1),
						m.group(3).equalsIgnoreCase("write"), m.group(1) != null);
				return false;
			}
			if (text.startsWith("==") && (text.contains("The signal is caused by") || text.contains("Hint:"))) {
				this.details.add(text.replaceFirst("^==\\d+==", "").strip());
				if (text.contains("WRITE memory access")) {
					this.write = true;
				}
				return false;
			}
			if (DESCRIPTION.matcher(text).find()) {
				this.details.add(ADDRESS.matcher(text.replaceFirst(":$", "")).replaceAll(""));
				if (text.endsWith(":")) {
					startSection(null);
				}
				return false;
			}
			if (text.endsWith(":") && text.length() > 12 && !text.startsWith("Shadow") && this.leaks.isEmpty()) {
				// "freed by thread T0 here:", "Thread T2 (tid=13, running) created by main thread at:"
				startSection(text.substring(0, text.length() - 1));
			}
			return false;
		}

		private void access(String text, boolean write, boolean previous) {
			if (!previous && this.access == null) {
				this.access = text;
				this.write = write;
				if (!this.current.frames.isEmpty()) {
					startSection(null);
				}
			}
			else {
				startSection(text);
			}
		}

		private void startSection(String title) {
			this.current = new Section(title);
			this.sections.add(this.current);
		}

		private void summary(String text) {
			if (text.matches("\\d+ byte\\(s\\) leaked.*")) {
				return;
			}
			this.summaryKind = text;
			Matcher m = SUMMARY_LOCATION.matcher(" " + text);
			if (m.find() && this.where == null) {
				this.where = new Frame(m.group(1), Frames.number(m.group(2)), m.group(3), false);
			}
		}

		String message() {
			List<String> parts = new ArrayList<>();
			parts.add(this.description);
			if (this.access != null) {
				parts.add(this.access);
			}
			parts.addAll(this.details);
			int shown = 0;
			for (Section section : this.sections.subList(1, this.sections.size())) {
				if (section.title == null || section.frames.isEmpty() || shown == 3
						|| !OTHER_SITE.matcher(section.title).find()) {
					continue;
				}
				shown++;
				String title = section.title.replaceFirst(" here$", "").replaceFirst(" at$", "");
				parts.add(title + " " + Frames.where(section.frames));
			}
			return String.join("; ", parts);
		}

	}

}
