package org.ffilab.sandbox;

import java.util.List;

/**
 * What the lab can tell about its sandbox right now.
 *
 * @param engineReachable the container engine answered
 * @param engineMessage why it did not, or its version
 * @param missingImages images that tasks need but the engine does not have
 */
public record SandboxStatus(boolean engineReachable, String engineMessage, List<String> missingImages) {

	public boolean ready() {
		return this.engineReachable && this.missingImages.isEmpty();
	}

}
