package org.ffilab.classroom;

import java.util.Locale;

import org.ffilab.run.RunStatus;

/** What a run earned on the dashboard, best first: a pass beats a fail, a fail beats an error. */
enum Outcome {

	PASS, FAIL, ERROR;

	/** The run's outcome: its verdict's status, or an error when the lab could not carry it out. */
	static Outcome of(RunStatus status, String verdictStatus) {
		if (status != RunStatus.FINISHED || verdictStatus == null) {
			return ERROR;
		}
		return switch (verdictStatus) {
			case "pass" -> PASS;
			case "fail" -> FAIL;
			default -> ERROR;
		};
	}

	/** The stored and sent form: pass, fail, error. */
	String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Outcome fromLabel(String label) {
		return valueOf(label.toUpperCase(Locale.ROOT));
	}

	boolean betterThan(Outcome other) {
		return ordinal() < other.ordinal();
	}

}
