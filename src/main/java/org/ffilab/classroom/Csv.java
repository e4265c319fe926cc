package org.ffilab.classroom;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV: writing the grades export, reading a roster. */
final class Csv {

	private Csv() {
	}

	/** A record as read, with the line it starts on (quoted fields may span lines). */
	record Record(int line, List<String> cells) {
	}

	/** One line of cells, each escaped, ending in CRLF as RFC 4180 has it. */
	static String row(List<String> cells) {
		return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\r\n";
	}

	/**
	 * One cell: quoted when it holds a comma, a quote or a line break. A cell a spreadsheet would take for a formula
	 * (starting with = + - @, a tab or a carriage return) gets a leading apostrophe, so a display name such as
	 * =HYPERLINK(...) stays text (OWASP, "CSV Injection").
	 */
	static String cell(String value) {
		String text = (value != null) ? value : "";
		if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
			text = "'" + text;
		}
		if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
			return '"' + text.replace("\"", "\"\"") + '"';
		}
		return text;
	}

	/**
	 * Parses CSV text: fields separated by commas, or by semicolons or tabs when the first line has more of those
	 * (spreadsheets in some locales save with semicolons). A leading byte-order mark is dropped, blank lines are
	 * skipped, cells are not trimmed.
	 */
	static List<Record> parse(String text) {
		String input = text.startsWith("\uFEFF") ? text.substring(1) : text;
		char separator = separator(input);
		List<Record> records = new ArrayList<>();
		List<String> cells = new ArrayList<>();
		StringBuilder cell = new StringBuilder();
		boolean quoted = false;
		boolean cellStarted = false;
		int line = 1;
		int recordLine = 1;
		for (int i = 0; i < input.length(); i++) {
			char c = input.charAt(i);
			if (quoted) {
				if (c == '"') {
					if (i + 1 < input.length() && input.charAt(i + 1) == '"') {
						cell.append('"');
						i++;
					}
					else {
						quoted = false;
					}
				}
				else {
					if (c == '\n') {
						line++;
					}
					cell.append(c);
				}
			}
			else if (c == '"' && cell.isEmpty() && !cellStarted) {
				quoted = true;
				cellStarted = true;
			}
			else if (c == separator) {
				cells.add(cell.toString());
				cell.setLength(0);
				cellStarted = false;
			}
			else if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < input.length() && input.charAt(i + 1) == '\n') {
					i++;
				}
				cells.add(cell.toString());
				addUnlessBlank(records, recordLine, cells);
				cells = new ArrayList<>();
				cell.setLength(0);
				cellStarted = false;
				line++;
				recordLine = line;
			}
			else {
				cell.append(c);
				cellStarted = true;
			}
		}
		if (cellStarted || !cell.isEmpty() || !cells.isEmpty()) {
			cells.add(cell.toString());
			addUnlessBlank(records, recordLine, cells);
		}
		return records;
	}

	private static void addUnlessBlank(List<Record> records, int line, List<String> cells) {
		if (cells.stream().anyMatch((c) -> !c.isBlank())) {
			records.add(new Record(line, List.copyOf(cells)));
		}
	}

	private static char separator(String input) {
		int end = input.indexOf('\n');
		String first = (end >= 0) ? input.substring(0, end) : input;
		long commas = first.chars().filter((c) -> c == ',').count();
		long semicolons = first.chars().filter((c) -> c == ';').count();
		long tabs = first.chars().filter((c) -> c == '\t').count();
		if (semicolons > commas && semicolons >= tabs) {
			return ';';
		}
		return (tabs > commas) ? '\t' : ',';
	}

}
