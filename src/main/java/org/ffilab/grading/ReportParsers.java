package org.ffilab.grading;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The server's parsers of raw tool reports, by the tool name of the harness's report frame (see
 * docs/architecture.md). "auto", or a name we do not know, sniffs the text and runs every parser of
 * findings that recognises it; metrics are only read when the check asks for them by name, since a
 * student's program could print a benchmark line of its own.
 */
@Component
public class ReportParsers {

	private static final Logger logger = LoggerFactory.getLogger(ReportParsers.class);

	private static final ReportParser SANITIZERS = new SanitizerReportParser();

	private static final ReportParser GO_PANIC = new GoPanicParser();

	private static final ReportParser HOTSPOT = new HotSpotParser();

	/** The parsers "auto" may run: findings only. */
	private static final List<ReportParser> FINDINGS = List.of(SANITIZERS, new ValgrindXmlParser(),
			new GoRaceParser(), GO_PANIC, HOTSPOT, new GdbBacktraceParser());

	private static final Map<String, ReportParser> BY_TOOL = byTool();

	private static Map<String, ReportParser> byTool() {
		Map<String, ReportParser> map = new HashMap<>();
		FINDINGS.forEach((parser) -> map.put(parser.tool(), parser));
		List.of("asan", "lsan", "ubsan", "tsan", "msan").forEach((tool) -> map.put(tool, SANITIZERS));
		map.put("go", GO_PANIC);
		map.put("jni", HOTSPOT);
		for (ReportParser metrics : List.of(new GoBenchParser(), new MetricLineParser())) {
			map.put(metrics.tool(), metrics);
		}
		return Map.copyOf(map);
	}

	/**
	 * @param editable the track's editable files: frames in them are the student's
	 * @param support the track's support files: frames in them are the task's, not the runtime's
	 */
	public ToolReports forRun(Collection<String> editable, Collection<String> support) {
		return new ToolReports(this, new StudentFiles(editable, support));
	}

	/** Parses one report into the sink; never throws, whatever the text. */
	void parse(String tool, String text, FindingSink sink) {
		String name = (tool != null) ? tool.strip().toLowerCase(Locale.ROOT) : "auto";
		ReportParser parser = BY_TOOL.get(name);
		if (parser != null) {
			run(parser, text, sink);
			return;
		}
		String clean = ReportText.clean(text);
		for (ReportParser candidate : FINDINGS) {
			if (candidate.recognizes(clean)) {
				run(candidate, text, sink);
			}
		}
	}

	private static void run(ReportParser parser, String text, FindingSink sink) {
		try {
			parser.parse((text != null) ? text : "", sink);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// A parser bug must not cost the student the verdict: keep what was found so far.
			logger.warn("The {} report parser failed; keeping what it had found", parser.tool(), ex);
		}
	}

}
