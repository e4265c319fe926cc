package org.ffilab.grading;

import tools.jackson.databind.JsonNode;

/**
 * The limits a run's steps hit inside the sandbox, from the harness's step-end frames: the harness
 * stops a step at its own timeout before the server's deadline, so without these a check that ended
 * normally would hide that a limit was the cause.
 */
public final class StepLimits {

	private boolean timedOut;

	private boolean oomKilled;

	private boolean pidsExhausted;

	/** Notes the limits of one step-end frame (other frames are ignored). */
	public synchronized void record(JsonNode step) {
		if (!"end".equals(step.path("phase").asString(""))) {
			return;
		}
		this.timedOut |= step.path("timedOut").asBoolean(false);
		this.oomKilled |= step.path("oomKilled").asBoolean(false);
		this.pidsExhausted |= step.path("pidsExhausted").asBoolean(false);
	}

	/** The reason to show with a verdict that did not pass, or null when no step hit a limit. */
	synchronized Verdict.Reason reason() {
		if (this.oomKilled) {
			return Verdict.Reason.MEMORY_LIMIT;
		}
		if (this.pidsExhausted) {
			return Verdict.Reason.PROCESS_LIMIT;
		}
		return this.timedOut ? Verdict.Reason.TIME_LIMIT : null;
	}

}
