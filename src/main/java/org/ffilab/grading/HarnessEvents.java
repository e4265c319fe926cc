package org.ffilab.grading;

import tools.jackson.databind.JsonNode;

/** What the harness inside the sandbox reports, frame by frame (see docs/architecture.md). */
public interface HarnessEvents {

	/** Output of the student's program or a build tool, to show as it comes. */
	void output(String text);

	/** A step started or ended. */
	default void step(JsonNode frame) {
	}

	/** A raw tool report (sanitizer, Valgrind, ...) for the server's parsers. */
	default void report(String tool, String test, String text) {
	}

	/** A chunk of a file handed over for the run's next stage ({@code artifact} frame). */
	default void artifact(JsonNode frame) {
	}

	/** The end of the hand-over: how many files, and why none if it failed ({@code artifacts} frame). */
	default void artifacts(JsonNode summary) {
	}

	/** The check's final result. */
	void result(JsonNode result);

	/** A line that is not a frame: only the harness writes stdout, so this is a harness fault. */
	default void noise(String line) {
	}

}
