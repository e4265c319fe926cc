package org.ffilab.run;

/** Where a submission is in its life. */
public enum RunStatus {

	/** Accepted and stored, waiting for a sandbox slot. */
	QUEUED,
	/** In a sandbox now. */
	RUNNING,
	/** Ended with a verdict (which may be pass, fail or error). */
	FINISHED,
	/** The lab could not carry it out (engine down, image missing); the submission is kept. */
	ERROR,
	/** Never ran: a newer submission of the same student, task and track took its place in the queue. */
	SUPERSEDED;

	public boolean ended() {
		return this == FINISHED || this == ERROR || this == SUPERSEDED;
	}

}
