package org.ffilab.run;

/** Why a run ended in {@link RunStatus#ERROR}: never the student's code, which only ever gets a verdict. */
public enum RunErrorKind {

	/**
	 * The lab's machinery failed under the run: the container engine stopped, restarted or stopped
	 * answering, an image is missing, the lab itself restarted. Running the same files again once
	 * it is back is the remedy.
	 */
	INFRASTRUCTURE,
	/** A bug in the lab: running it again would most likely fail the same way. */
	INTERNAL,
	/** The run's task or track is no longer part of the course. */
	UNAVAILABLE;

	/** Whether the browser offers to run the same files again. */
	public boolean retryable() {
		return this == INFRASTRUCTURE;
	}

}
