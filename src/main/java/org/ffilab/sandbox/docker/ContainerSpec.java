package org.ffilab.sandbox.docker;

import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ulimit;
import org.ffilab.sandbox.SandboxLimits;

/** The hardened host settings every sandbox container gets (see sandbox-images/README.md). */
final class ContainerSpec {

	static final String RUN_LABEL = "org.ffilab.run";

	static final String INSTANCE_LABEL = "org.ffilab.instance";

	static final String WORK_DIR = "/work";

	private ContainerSpec() {
	}

	static HostConfig hostConfig(SandboxLimits limits, String user) {
		String owner = ownerOptions(user);
		long tmpfsKib = Math.max(1, limits.tmpfsBytes() / 1024);
		// tmpfs is noexec and root-owned by default: students build and run binaries there as the runner user.
		String tmpfs = "rw,exec,nosuid,nodev,size=" + tmpfsKib + "k," + owner;
		return HostConfig.newHostConfig()
			.withNetworkMode("none")
			.withMemory(limits.memoryBytes())
			.withMemorySwap(limits.memoryBytes())
			.withNanoCPUs((long) (limits.cpus() * 1_000_000_000L))
			.withPidsLimit((long) limits.pids())
			.withCapDrop(Capability.ALL)
			.withSecurityOpts(List.of("no-new-privileges"))
			.withReadonlyRootfs(true)
			.withTmpFs(Map.of(WORK_DIR, tmpfs + ",mode=0700", "/tmp", tmpfs + ",mode=1777"))
			// /dev/shm (POSIX shared memory, multiprocessing's semaphores) is a third writable tmpfs:
			// bounded like the other two rather than by the engine's default.
			.withShmSize(limits.tmpfsBytes())
			// A core dump of a crashing student program would only fill the tmpfs.
			.withUlimits(List.of(new Ulimit("core", 0L, 0L)))
			.withInit(false);
	}

	private static String ownerOptions(String user) {
		String[] ids = user.split(":");
		String uid = ids[0];
		String gid = (ids.length > 1) ? ids[1] : ids[0];
		return "uid=" + uid + ",gid=" + gid;
	}

}
