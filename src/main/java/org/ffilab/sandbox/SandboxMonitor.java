package org.ffilab.sandbox;

import java.util.Collection;
import java.util.Optional;

/** Reports whether the engine is up and which of the needed images it has. */
public interface SandboxMonitor {

	SandboxStatus status(Collection<String> neededImages);

	/** The engine's id of an image, which changes whenever the image is rebuilt; empty if missing. */
	Optional<String> imageId(String image);

}
