package org.ffilab.run;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many runs the lab carries out at once and how many may wait.
 *
 * @param concurrency runs in sandboxes at the same time (0: one per CPU core)
 * @param queueCapacity runs that may wait for a slot before new ones are refused with 429
 */
@ConfigurationProperties("ffilab.runs")
public record RunProperties(@DefaultValue("0") int concurrency, @DefaultValue("100") int queueCapacity) {

	int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors();
	}

}
