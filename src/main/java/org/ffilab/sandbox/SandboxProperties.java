package org.ffilab.sandbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Sandbox settings.
 *
 * @param dockerHost the engine's address
 * @param imagePrefix prefix of the sandbox images: {@code python} becomes {@code ffilab/python}
 * @param user uid:gid the student's code runs as inside the container
 * @param cpus default CPUs per run
 * @param memory default memory per run (tmpfs included)
 * @param pids default process limit per run
 * @param tmpfs default size of /work and of /tmp
 * @param wallTime default deadline per run
 * @param output default output kept per run
 * @param maxCpus upper bound no task or request can exceed
 * @param maxMemory upper bound of memory
 * @param maxPids upper bound of processes
 * @param maxTmpfs upper bound of each tmpfs
 * @param maxWallTime upper bound of the deadline
 * @param maxOutput upper bound of kept output
 */
@ConfigurationProperties("ffilab.sandbox")
public record SandboxProperties(@DefaultValue("unix:///var/run/docker.sock") String dockerHost,
		@DefaultValue("ffilab/") String imagePrefix, @DefaultValue("1000:1000") String user,
		@DefaultValue("1") double cpus, @DefaultValue("512MB") DataSize memory, @DefaultValue("256") int pids,
		@DefaultValue("64MB") DataSize tmpfs, @DefaultValue("60s") Duration wallTime,
		@DefaultValue("1MB") DataSize output, @DefaultValue("2") double maxCpus,
		@DefaultValue("2GB") DataSize maxMemory, @DefaultValue("1024") int maxPids,
		@DefaultValue("512MB") DataSize maxTmpfs, @DefaultValue("300s") Duration maxWallTime,
		@DefaultValue("4MB") DataSize maxOutput) {

	private static final long MIB = 1024 * 1024;

	public SandboxLimits defaults() {
		return new SandboxLimits(this.cpus, this.memory.toBytes(), this.pids, this.tmpfs.toBytes(), this.wallTime,
				this.output.toBytes());
	}

	public SandboxLimits maxima() {
		return new SandboxLimits(this.maxCpus, this.maxMemory.toBytes(), this.maxPids, this.maxTmpfs.toBytes(),
				this.maxWallTime, this.maxOutput.toBytes());
	}

	/**
	 * The limits of a run that asks for its own values (null: the default), clamped to the maxima so
	 * that no content or request can lift them.
	 */
	public SandboxLimits resolve(Integer wallSeconds, Integer memoryMb, Integer tmpfsMb, Integer pids) {
		SandboxLimits defaults = defaults();
		var wanted = new SandboxLimits(defaults.cpus(),
				(memoryMb != null) ? memoryMb * MIB : defaults.memoryBytes(),
				(pids != null) ? pids : defaults.pids(), (tmpfsMb != null) ? tmpfsMb * MIB : defaults.tmpfsBytes(),
				(wallSeconds != null) ? Duration.ofSeconds(wallSeconds) : defaults.wallTime(), defaults.outputBytes());
		return wanted.clampTo(maxima());
	}

	public String imageName(String image) {
		return this.imagePrefix + image;
	}

}
