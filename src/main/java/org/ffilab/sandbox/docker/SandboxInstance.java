package org.ffilab.sandbox.docker;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Names this app instance on its containers, so that the start-up reaper removes only its own
 * leftovers and never the runs of another lab (or a test suite) on the same engine.
 */
@Component
class SandboxInstance {

	private final String name;

	SandboxInstance(@Value("${ffilab.sandbox.instance:default}") String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

}
