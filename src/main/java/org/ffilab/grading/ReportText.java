package org.ffilab.grading;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The raw text of a tool report made safe to scan: capped, without terminal escapes, split into lines
 * at LF, CR LF or CR (programs run on a pty, which writes CR LF and may colour its output).
 */
final class ReportText {

	/** What the harness sends at most per run; a longer report is cut here. */
	static final int MAX_INPUT = 1024 * 1024;

	/** Lines longer than this are cut: no tool writes them, and regexes stay cheap. */
	static final int MAX_LINE = 4096;

	private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");

	private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

	private ReportText() {
	}

	static String clean(String text) {
		if (text == null) {
			return "";
		}
		String capped = (text.length() > MAX_INPUT) ? text.substring(0, MAX_INPUT) : text;
		return ESCAPES.matcher(capped).replaceAll("");
	}

	/** A plain decimal number ("48.5", "1e-3"); null for anything else (Java would also take "NaN", "0x1p3", "1f"). */
	static Double decimal(String text) {
		if (text == null || text.length() > 40 || !DECIMAL.matcher(text).matches()) {
			return null;
		}
		double value = Double.parseDouble(text);
		return Double.isFinite(value) ? value : null;
	}

	static List<String> lines(String text) {
		return clean(text).lines().map((line) -> (line.length() > MAX_LINE) ? line.substring(0, MAX_LINE) : line).toList();
	}

}
