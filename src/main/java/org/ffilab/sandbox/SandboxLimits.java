package org.ffilab.sandbox;

import java.time.Duration;

/**
 * Resource limits of one sandbox run. Memory is enforced by the container's cgroup (never by
 * RLIMIT_AS, which breaks ASan, TSan and the Go race detector); tmpfs pages count against it.
 *
 * @param cpus CPUs the container may use
 * @param memoryBytes memory limit, swap included
 * @param pids maximum number of processes and threads
 * @param tmpfsBytes size of each writable tmpfs (/work and /tmp)
 * @param wallTime deadline after which the container is killed
 * @param outputBytes bytes of output kept; the rest is dropped with a notice
 */
public record SandboxLimits(double cpus, long memoryBytes, int pids, long tmpfsBytes, Duration wallTime,
		long outputBytes) {

	/** The smaller of each limit of this and {@code max}: a request can only ask for less. */
	public SandboxLimits clampTo(SandboxLimits max) {
		return new SandboxLimits(Math.min(this.cpus, max.cpus), Math.min(this.memoryBytes, max.memoryBytes),
				Math.min(this.pids, max.pids), Math.min(this.tmpfsBytes, max.tmpfsBytes),
				this.wallTime.compareTo(max.wallTime) <= 0 ? this.wallTime : max.wallTime,
				Math.min(this.outputBytes, max.outputBytes));
	}

}
