package org.ffilab.run;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A token bucket per key, kept as one number (the generic cell rate algorithm): the time at which the key's
 * bucket is full again. A burst of takes is allowed, then one per interval. A key whose bucket is full again is
 * the same as a key never seen, so it is forgotten: memory holds only the keys that took within the last
 * {@code burst x interval}.
 */
final class RateLimiter {

	private static final int SWEEP_AT_LEAST = 1024;

	private final long intervalNanos;

	/** How far ahead of now a key's full-again time may be and still allow a take. */
	private final long toleranceNanos;

	private final LongSupplier nanoClock;

	private final Map<Long, Long> fullAgainAt = new HashMap<>();

	private int sweepAt = SWEEP_AT_LEAST;

	RateLimiter(int burst, Duration interval, LongSupplier nanoClock) {
		if (burst < 1 || !interval.isPositive()) {
			throw new IllegalArgumentException("A rate limit needs a burst of at least 1 and a positive interval");
		}
		this.intervalNanos = interval.toNanos();
		this.toleranceNanos = (burst - 1) * this.intervalNanos;
		this.nanoClock = nanoClock;
	}

	/** Takes one for the key; empty when allowed, otherwise how long until the next one is. */
	synchronized Optional<Duration> take(long key) {
		long now = this.nanoClock.getAsLong();
		long full = Math.max(this.fullAgainAt.getOrDefault(key, now), now);
		long ahead = full - now;
		if (ahead > this.toleranceNanos) {
			return Optional.of(Duration.ofNanos(ahead - this.toleranceNanos));
		}
		this.fullAgainAt.put(key, full + this.intervalNanos);
		sweep(now);
		return Optional.empty();
	}

	/** Gives back what the key took last (its submission was refused for another reason). */
	synchronized void giveBack(long key) {
		this.fullAgainAt.computeIfPresent(key, (k, full) -> full - this.intervalNanos);
	}

	/** Keys with a bucket that is not full. */
	synchronized int remembered() {
		return this.fullAgainAt.size();
	}

	private void sweep(long now) {
		if (this.fullAgainAt.size() < this.sweepAt) {
			return;
		}
		this.fullAgainAt.values().removeIf((full) -> full - now <= 0);
		this.sweepAt = Math.max(SWEEP_AT_LEAST, 2 * this.fullAgainAt.size());
	}

}
