package org.ffilab.sandbox.docker;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the lab waits for the container engine before it calls the engine lost.
 *
 * @param queryTimeout the longest a read of the engine's state may take (version, inspect, list):
 * these answer in milliseconds when the engine is well
 * @param commandTimeout the longest a change may take (create, start, kill, remove, and opening a
 * run's output stream; the stream itself stays open for the whole run)
 * @param lostAfter how long the engine may stay unreachable during a run before the run ends as an
 * infrastructure error; a shorter blip is ridden out
 * @param removalRetry how often the removal of a container that could not be removed (the engine
 * was away) is tried again
 */
@ConfigurationProperties("ffilab.sandbox.engine")
public record EngineProperties(@DefaultValue("5s") Duration queryTimeout, @DefaultValue("20s") Duration commandTimeout,
		@DefaultValue("5s") Duration lostAfter, @DefaultValue("5s") Duration removalRetry) {

	public static EngineProperties defaults() {
		return new EngineProperties(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5),
				Duration.ofSeconds(5));
	}

}
