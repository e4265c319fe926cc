package org.ffilab.task;

import org.ffilab.sandbox.SandboxLimits;
import org.ffilab.sandbox.SandboxProperties;

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

	/** The limits of a {@code limits:} section of a track.yml (absent keys: the server's defaults). */
	static TrackLimits read(YamlDocument limits) {
		return new TrackLimits(limits.optionalInt("wallSeconds"), limits.optionalInt("memoryMb"),
				limits.optionalInt("tmpfsMb"), limits.optionalInt("pids"));
	}

	/** This track's limits on top of the server's defaults, clamped to its maxima. */
	public SandboxLimits resolve(SandboxProperties properties) {
		return properties.resolve(this.wallSeconds, this.memoryMb, this.tmpfsMb, this.pids);
	}

}
