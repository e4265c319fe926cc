package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * The JVM's complaints about native code: -Xcheck:jni's "WARNING in native method: ..." and "FATAL
 * ERROR in native method: ..." (each followed by the Java stack), and crashes: the "# A fatal error
 * has been detected by the Java Runtime Environment" header on stderr and the hs_err_pid file, whose
 * "Native frames" section is the stack. A crash in libjvm's JNI functions on a thread the JVM does not
 * know is a JNI call from an unattached thread, whether or not -Xcheck:jni was on.
 */
final class HotSpotParser implements ReportParser {

	private static final Pattern JNI = Pattern
		.compile("^(?:(WARNING|FATAL ERROR) in native method: (.*)|WARNING: (JNI local refs: .*))$");

	/** "\tat Native.main(Native.java:13)", "\tat java.base/java.lang.Thread.run(Thread.java:1583)". */
	private static final Pattern JAVA_FRAME = Pattern
		.compile("^\\s+at ([\\w.$@/<>-]+)\\((?:([^():]+?)(?::(\\d+))?)?\\)\\s*$");

	/** A class loader or module before the class ("app//", "java.base@25/"), not a hidden class's "/0x7f..". */
	private static final Pattern JAVA_PREFIX = Pattern.compile("^(?:[^/]*/(?!0x))+");

	private static final Pattern CRASH_SIGNAL = Pattern.compile("^#\\s+(SIG[A-Z]+) \\(0x\\p{XDigit}+\\) at pc=.*$");

	private static final Pattern CRASH_OTHER = Pattern.compile("^#\\s+(Internal Error|Out of Memory Error|fatal error)(.*)$");

	/** "C  [libnative.so+0x120b]  read_x+0xc", "j  Native.crash()V+0", "V  [libjvm.so+0xb025a5]  jni_CallVoidMethod+0x125" */
	private static final Pattern NATIVE_FRAME = Pattern
		.compile("^(?:# )?([CjJVv])\\s+(?:\\[([^\\]+]+)(?:\\+0x\\p{XDigit}+)?\\])?\\s*(.*)$");

	@Override
	public String tool() {
		return "hotspot";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains(" in native method: ") || text.contains("detected by the Java Runtime Environment")
				|| text.contains("WARNING: JNI local refs: ");
	}

	@Override
	public void parse(String text, FindingSink sink) {
		List<Frame> javaFrames = null;
		String jniMessage = null;
		Crash crash = null;
		boolean inNativeFrames = false;
		boolean problematicNext = false;
		for (String line : ReportText.lines(text)) {
			if (sink.full()) {
				return;
			}
			Matcher m = JAVA_FRAME.matcher(line);
			if (javaFrames != null && m.matches()) {
				if (javaFrames.size() <= FindingSink.MAX_FRAMES) {
					// "(Native Method)" and "(Unknown Source)" name no file.
					String file = (m.group(2) != null && m.group(2).endsWith(".java")) ? m.group(2) : null;
					String method = JAVA_PREFIX.matcher(m.group(1)).replaceFirst("").replaceAll("/0x\\p{XDigit}+", "");
					javaFrames.add(new Frame(file, Frames.number(m.group(3)), method, false));
				}
				continue;
			}
			if (javaFrames != null) {
				addJni(jniMessage, javaFrames, sink);
				javaFrames = null;
			}
			m = JNI.matcher(line);
			if (m.find()) {
				jniMessage = (m.group(3) != null) ? m.group(3) : m.group(2).strip();
				javaFrames = new ArrayList<>();
				continue;
			}
			if (line.startsWith("# A fatal error has been detected by the Java Runtime Environment")) {
				// stderr's header, then the hs_err file's copy of it: one crash, not two.
				if (crash == null || !crash.frames.isEmpty()) {
					emit(crash, sink);
					crash = new Crash();
				}
				continue;
			}
			if (crash == null) {
				continue;
			}
			if ((m = CRASH_SIGNAL.matcher(line)).matches() && crash.what == null) {
				crash.what = m.group(1);
			}
			else if ((m = CRASH_OTHER.matcher(line)).matches() && crash.what == null) {
				crash.what = (m.group(1) + m.group(2)).strip();
			}
			else if (line.startsWith("# Problematic frame:")) {
				problematicNext = true;
				continue;
			}
			else if (problematicNext) {
				Frame frame = nativeFrame(line, sink.files());
				if (frame != null) {
					crash.problematic = frame;
				}
			}
			else if (line.startsWith("# The crash happened outside the Java Virtual Machine in native code")) {
				crash.inNativeCode = true;
			}
			else if (line.startsWith("Current thread is native thread")) {
				crash.nativeThread = true;
			}
			else if (line.startsWith("Native frames:")) {
				inNativeFrames = crash.frames.isEmpty();
				continue;
			}
			else if (inNativeFrames) {
				Frame frame = line.isBlank() ? null : nativeFrame(line, sink.files());
				if (frame == null) {
					inNativeFrames = false;
				}
				else if (crash.frames.size() <= FindingSink.MAX_FRAMES) {
					crash.frames.add(frame);
				}
			}
			problematicNext = false;
		}
		if (javaFrames != null) {
			addJni(jniMessage, javaFrames, sink);
		}
		emit(crash, sink);
	}

	static String jniKind(String message) {
		String m = message.toLowerCase(Locale.ROOT);
		if (m.contains("exception") && (m.contains("pending") || m.contains("checking exceptions"))) {
			return FindingKind.JNI_EXCEPTION_PENDING;
		}
		if (m.contains("non-java thread") || m.contains("wrong thread") || m.contains("not attached")) {
			return FindingKind.JNI_WRONG_THREAD;
		}
		return FindingKind.JNI_MISUSE;
	}

	private static void addJni(String message, List<Frame> frames, FindingSink sink) {
		sink.add("hotspot", jniKind(message), message, frames, null);
	}

	private static void emit(Crash crash, FindingSink sink) {
		if (crash == null || (crash.what == null && crash.problematic == null && crash.frames.isEmpty())) {
			return;
		}
		List<Frame> frames = crash.frames.isEmpty() && crash.problematic != null ? List.of(crash.problematic)
				: crash.frames;
		boolean inJni = frames.stream().anyMatch((f) -> f.function() != null && f.function().startsWith("jni_"));
		boolean wrongThread = crash.nativeThread && inJni;
		StringBuilder message = new StringBuilder("The JVM crashed");
		if (crash.what != null) {
			message.append(crash.what.startsWith("SIG") ? " with " : ": ").append(crash.what);
		}
		if (crash.problematic != null) {
			message.append(" in ").append(describe(crash.problematic));
		}
		if (wrongThread) {
			message.append("; a JNI function was called on a native thread that is not attached to the JVM");
		}
		else if (crash.inNativeCode) {
			message.append("; the crash happened outside the JVM, in native code");
		}
		sink.add("hotspot", wrongThread ? FindingKind.JNI_WRONG_THREAD : FindingKind.CRASH, message.toString(), frames,
				null);
	}

	private static String describe(Frame frame) {
		if (frame.function() == null) {
			return (frame.file() != null) ? frame.file() : "an unknown frame";
		}
		return frame.function() + ((frame.file() != null) ? " (" + frame.file() + ")" : "");
	}

	/** One line of "Native frames" (or the problematic frame); null when the line is not one. */
	static Frame nativeFrame(String line, StudentFiles files) {
		Matcher m = NATIVE_FRAME.matcher(line.strip());
		if (!m.matches()) {
			return null;
		}
		String type = m.group(1);
		String library = m.group(2);
		String symbol = m.group(3).strip();
		if (symbol.isEmpty()) {
			return (library != null) ? new Frame(library, null, null, false) : null;
		}
		String function;
		String file = library;
		if (type.equals("j") || type.equals("J")) {
			// "Native.crash()V+0", "J 123 c1 Native.loop()V (20 bytes) @ 0x..."
			String method = symbol.replaceFirst("^\\d+\\s+(?:c1|c2|%)?\\s*", "");
			int paren = method.indexOf('(');
			function = (paren > 0) ? method.substring(0, paren) : method.split("\\s")[0];
			file = javaSource(function, files);
		}
		else if (type.equals("v")) {
			function = symbol.split("\\s")[0];
		}
		else {
			// "read_x+0xc", "JavaCalls::call_helper(JavaValue*, ...)+0x2b0", "jni_CallVoidMethod+0x125"
			int paren = symbol.indexOf('(');
			function = ((paren > 0) ? symbol.substring(0, paren) : symbol).replaceFirst("\\+0x\\p{XDigit}+$", "");
		}
		return new Frame(file, null, function.isBlank() ? null : function, false);
	}

	/** "pkg.Native.crash" -> "Native.java" when that is one of the student's files: javac's naming rule. */
	private static String javaSource(String method, StudentFiles files) {
		int lastDot = method.lastIndexOf('.');
		if (lastDot <= 0) {
			return null;
		}
		String type = method.substring(0, lastDot);
		String simple = type.substring(type.lastIndexOf('.') + 1);
		int dollar = simple.indexOf('$');
		String source = ((dollar > 0) ? simple.substring(0, dollar) : simple) + ".java";
		return files.isStudent(source) ? source : null;
	}

	/** One JVM crash, from its header on stderr and, when the check sends it too, its hs_err file. */
	private static final class Crash {

		final List<Frame> frames = new ArrayList<>();

		String what;

		Frame problematic;

		boolean inNativeCode;

		boolean nativeThread;

	}

}
