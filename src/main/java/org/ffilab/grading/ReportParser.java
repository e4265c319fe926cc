package org.ffilab.grading;

/** Turns one tool's raw report into findings or metrics. Never throws on garbage: keeps what it could read. */
interface ReportParser {

	/** The tool name of the report frames this parser reads (docs/architecture.md). */
	String tool();

	/** A cheap look for this tool's marks, for reports sent as "auto". */
	boolean recognizes(String text);

	void parse(String text, FindingSink sink);

}
