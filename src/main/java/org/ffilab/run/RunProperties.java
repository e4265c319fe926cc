package org.ffilab.run;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many runs the lab carries out at once, how many may wait, and how often one student may press Run.
 *
 * @param concurrency runs in sandboxes at the same time (0: one per CPU core)
 * @param queueCapacity runs that may wait for a slot before new ones are refused with 429
 * @param rateLimit how often one student may submit
 */
@ConfigurationProperties("ffilab.runs")
public record RunProperties(@DefaultValue("0") int concurrency, @DefaultValue("100") int queueCapacity,
		@DefaultValue RateLimit rateLimit) {

	int effectiveConcurrency() {
		return (this.concurrency > 0) ? this.concurrency : Runtime.getRuntime().availableProcessors();
	}

	/**
	 * A token bucket per student: {@code burst} runs in a row, then one more every {@code refill}; past it a
	 * submission gets 429 with Retry-After. Teachers and admins are not limited.
	 *
	 * @param burst runs one student may submit in a row (0: no limit)
	 * @param refill how long until one more run is allowed
	 */
	public record RateLimit(@DefaultValue("5") int burst, @DefaultValue("6s") Duration refill) {

		boolean enabled() {
			return this.burst > 0 && this.refill.isPositive();
		}

	}

}
