package org.ffilab.task;

/**
 * A track's own limits; a null means the server's default. The server clamps them to its maxima.
 *
 * @param wallSeconds deadline of one run
 * @param memoryMb memory of one run, tmpfs included
 * @param tmpfsMb size of /work and /tmp
 * @param pids process limit
 */
public record TrackLimits(Integer wallSeconds, Integer memoryMb, Integer tmpfsMb, Integer pids) {

	static final TrackLimits NONE = new TrackLimits(null, null, null, null);

}
