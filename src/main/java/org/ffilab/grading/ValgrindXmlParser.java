package org.ffilab.grading;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.ffilab.grading.Verdict.Frame;

/**
 * Valgrind's XML (--xml=yes, protocol 4: memcheck, and helgrind's kinds too). Read with the JDK's
 * own StAX parser, DTDs and external entities off: the file was written inside the sandbox, where the
 * student could have replaced it. A document cut off (by the report cap, or Valgrind killed at the time
 * limit) still gives every error that was complete, and the one being read.
 */
final class ValgrindXmlParser implements ReportParser {

	private static final int MAX_FRAMES_READ = FindingSink.MAX_FRAMES + 1;

	/** "Address 0x4a55040 is 0 bytes inside a block of size 4 free'd" (not "(recently) free'd"). */
	private static final Pattern FREED = Pattern.compile("a block of size [\\d,]+ free'd");

	/** "Address 0x4a55050 is 0 bytes after a block of size 16 alloc'd". */
	private static final Pattern OUTSIDE = Pattern.compile("(after|before) a block of size [\\d,]+ alloc'd");

	@Override
	public String tool() {
		return "valgrind";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains("<valgrindoutput");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		String clean = ReportText.clean(text);
		// One document per Valgrind run; a report may hold several (or stray text around one).
		int start = clean.indexOf("<valgrindoutput");
		while (start >= 0 && !sink.full()) {
			int next = clean.indexOf("<valgrindoutput", start + 1);
			parseDocument(clean.substring(start, (next < 0) ? clean.length() : next), sink);
			start = next;
		}
	}

	/** The JDK's StAX parser with DTDs, external entities and external DTD access all off. */
	static XMLInputFactory factory() {
		XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
		factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
		factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
		factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
		factory.setProperty(XMLInputFactory.IS_COALESCING, true);
		return factory;
	}

	private static void parseDocument(String document, FindingSink sink) {
		ErrorRecord error = null;
		StringBuilder textBuffer = new StringBuilder();
		RawFrame frame = null;
		XMLStreamReader reader = null;
		try {
			reader = factory().createXMLStreamReader(new StringReader(document));
			while (reader.hasNext() && !sink.full()) {
				int event = reader.next();
				if (event == XMLStreamConstants.START_ELEMENT) {
					textBuffer.setLength(0);
					switch (reader.getLocalName()) {
						case "error" -> error = new ErrorRecord(false);
						case "fatal_signal" -> error = new ErrorRecord(true);
						case "stack" -> {
							if (error != null) {
								error.stacks.add(new ArrayList<>());
							}
						}
						case "frame" -> frame = new RawFrame();
						default -> {
						}
					}
				}
				else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
					if (textBuffer.length() < 4096) {
						textBuffer.append(reader.getText());
					}
				}
				else if (event == XMLStreamConstants.END_ELEMENT) {
					String value = textBuffer.toString().strip();
					textBuffer.setLength(0);
					String name = reader.getLocalName();
					if (frame != null) {
						if (name.equals("frame")) {
							if (error != null && !error.stacks.isEmpty()
									&& error.stacks.getLast().size() < MAX_FRAMES_READ) {
								error.stacks.getLast().add(frame.toFrame());
							}
							frame = null;
						}
						else {
							frame.set(name, value);
						}
					}
					else if (error != null) {
						if (name.equals("error") || name.equals("fatal_signal")) {
							error.emit(sink);
							error = null;
						}
						else {
							error.set(name, value);
						}
					}
				}
			}
		}
		catch (XMLStreamException | RuntimeException ex) {
			// Cut off or not XML: keep what was read, and the error in progress if it got a kind.
			if (error != null) {
				if (frame != null && !error.stacks.isEmpty()) {
					error.stacks.getLast().add(frame.toFrame());
				}
				error.emit(sink);
			}
		}
		finally {
			if (reader != null) {
				try {
					reader.close();
				}
				catch (XMLStreamException ex) {
					// nothing was held open: the source is a string
				}
			}
		}
	}

	/** Valgrind's kind and what it says about the block, mapped onto our kinds; null to skip. */
	static String kind(String kind, List<String> auxwhat) {
		String aux = String.join(" ", auxwhat);
		return switch (kind) {
			case "InvalidFree" -> FREED.matcher(aux).find() ? FindingKind.DOUBLE_FREE : FindingKind.INVALID_FREE;
			case "MismatchedFree", "InvalidMemPool" -> FindingKind.INVALID_FREE;
			case "InvalidRead", "InvalidWrite" -> {
				if (FREED.matcher(aux).find()) {
					yield FindingKind.USE_AFTER_FREE;
				}
				if (OUTSIDE.matcher(aux).find()) {
					yield FindingKind.HEAP_BUFFER_OVERFLOW;
				}
				yield FindingKind.access(kind.equals("InvalidWrite"));
			}
			case "Leak_DefinitelyLost", "Leak_IndirectlyLost", "Leak_PossiblyLost" -> FindingKind.LEAK;
			// Reachable at exit is not a bug the labs teach; interpreters leave megabytes of it.
			case "Leak_StillReachable" -> null;
			case "InvalidJump" -> FindingKind.CRASH;
			case "Race", "ConflictingAccess" -> FindingKind.DATA_RACE;
			case "LockOrder" -> FindingKind.DEADLOCK;
			default -> FindingKind.UNDEFINED_BEHAVIOR;
		};
	}

	/** One frame element as Valgrind wrote it. */
	private static final class RawFrame {

		String fn;

		String dir;

		String file;

		String line;

		String obj;

		void set(String name, String value) {
			switch (name) {
				case "fn" -> this.fn = value;
				case "dir" -> this.dir = value;
				case "file" -> this.file = value;
				case "line" -> this.line = value;
				case "obj" -> this.obj = value;
				default -> {
				}
			}
		}

		Frame toFrame() {
			String path = this.file;
			if (path != null && this.dir != null && !path.startsWith("/")) {
				path = this.dir + "/" + path;
			}
			return new Frame((path != null) ? path : this.obj, (this.line != null) ? Frames.number(this.line) : null,
					this.fn, false);
		}

	}

	/** One error (or the fatal signal) being read. */
	private static final class ErrorRecord {

		final boolean signal;

		final List<List<Frame>> stacks = new ArrayList<>();

		final List<String> auxwhat = new ArrayList<>();

		String kind;

		String what;

		String tid;

		String signame;

		String siaddr;

		Long bytes;

		ErrorRecord(boolean signal) {
			this.signal = signal;
		}

		void set(String name, String value) {
			switch (name) {
				case "kind" -> this.kind = value;
				case "what" -> this.what = value;
				case "text" -> this.what = (this.what == null) ? value : this.what; // xwhat's text
				case "auxwhat" -> {
					if (this.auxwhat.size() < 5) {
						this.auxwhat.add(value);
					}
				}
				case "tid" -> this.tid = value;
				case "leakedbytes" -> this.bytes = bytes(value);
				case "signame" -> this.signame = value;
				case "siaddr" -> this.siaddr = value;
				default -> {
				}
			}
		}

		void emit(FindingSink sink) {
			List<Frame> frames = this.stacks.isEmpty() ? List.of() : this.stacks.getFirst();
			if (this.signal) {
				String name = (this.signame != null) ? this.signame : "a signal";
				sink.add("valgrind", FindingKind.CRASH, "The program was killed by " + name
						+ ((this.siaddr != null) ? " (address " + this.siaddr + ")" : "") + thread(), frames, null);
				return;
			}
			if (this.kind == null) {
				return;
			}
			String kind = kind(this.kind, this.auxwhat);
			if (kind == null) {
				return;
			}
			List<String> parts = new ArrayList<>();
			parts.add(((this.what != null) ? this.what : this.kind) + thread());
			for (int i = 0; i < this.auxwhat.size(); i++) {
				// The n-th auxwhat is followed by the (n+1)-th stack: "Block was alloc'd at" + where.
				String aux = this.auxwhat.get(i);
				List<Frame> stack = (i + 1 < this.stacks.size()) ? this.stacks.get(i + 1) : List.of();
				parts.add(stack.isEmpty() ? aux : aux.replaceFirst(" at$", "") + " " + Frames.where(stack));
			}
			sink.addLocal("valgrind", kind, String.join("; ", parts), frames,
					FindingKind.LEAK.equals(kind) ? this.bytes : null);
		}

		private String thread() {
			return (this.tid != null && !this.tid.equals("1")) ? " (thread " + this.tid + ")" : "";
		}

		private static Long bytes(String value) {
			try {
				return Long.valueOf(value.replace(",", ""));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

}
