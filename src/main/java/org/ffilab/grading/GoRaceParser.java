package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ffilab.grading.Verdict.Frame;

/**
 * Go's race detector (-race): "WARNING: DATA RACE" blocks between "==================" lines. The
 * first access's stack is the finding's; the previous access goes into the message.
 */
final class GoRaceParser implements ReportParser {

	private static final String HEADER = "WARNING: DATA RACE";

	private static final Pattern ACCESS = Pattern.compile(
			"^\\s*(Previous )?(atomic )?(read|write) at 0x\\p{XDigit}+ by (main goroutine|goroutine \\d+)",
			Pattern.CASE_INSENSITIVE);

	@Override
	public String tool() {
		return "gorace";
	}

	@Override
	public boolean recognizes(String text) {
		return text.contains(HEADER);
	}

	@Override
	public void parse(String text, FindingSink sink) {
		Race race = null;
		for (String line : ReportText.lines(text)) {
			if (sink.full()) {
				return;
			}
			if (line.contains(HEADER)) {
				emit(race, sink);
				race = new Race();
				continue;
			}
			if (race == null) {
				continue;
			}
			if (line.startsWith("==================")) {
				emit(race, sink);
				race = null;
				continue;
			}
			Matcher m = ACCESS.matcher(line);
			if (m.find()) {
				String access = ((m.group(1) != null) ? "previous " : "") + ((m.group(2) != null) ? "atomic " : "")
						+ m.group(3).toLowerCase(Locale.ROOT) + " by " + m.group(4);
				race.section(Character.toUpperCase(access.charAt(0)) + access.substring(1));
			}
			else if (line.matches("^\\s*Goroutine \\d+ \\(.*\\) created at:\\s*$")) {
				race.section(null);
			}
			else {
				race.reader.line(line);
			}
		}
		emit(race, sink);
	}

	private static void emit(Race race, FindingSink sink) {
		if (race == null || race.titles.isEmpty()) {
			return;
		}
		List<String> parts = new ArrayList<>();
		String first = race.titles.getFirst();
		parts.add((first != null) ? "data race: " + first : "data race");
		for (int i = 1; i < race.titles.size(); i++) {
			String title = race.titles.get(i);
			if (title != null && title.startsWith("Previous") && !race.stacks.get(i).isEmpty()) {
				parts.add(title + " " + Frames.where(race.stacks.get(i)));
			}
		}
		sink.add("gorace", FindingKind.DATA_RACE, String.join("; ", parts), race.stacks.getFirst(), null);
	}

	/** One race report: its sections (the two accesses, the goroutines' creation) and their stacks. */
	private static final class Race {

		final List<String> titles = new ArrayList<>();

		final List<List<Frame>> stacks = new ArrayList<>();

		GoStacks.Reader reader = new GoStacks.Reader(new ArrayList<>());

		void section(String title) {
			List<Frame> frames = new ArrayList<>();
			this.titles.add(title);
			this.stacks.add(frames);
			this.reader = new GoStacks.Reader(frames);
		}

	}

}
