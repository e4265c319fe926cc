package org.ffilab.sandbox;

import java.util.Collection;

/** Reports whether the engine is up and which of the needed images it has. */
public interface SandboxMonitor {

	SandboxStatus status(Collection<String> neededImages);

}
