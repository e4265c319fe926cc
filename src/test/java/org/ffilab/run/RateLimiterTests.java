package org.ffilab.run;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The clock is the test's own: nothing here waits. */
class RateLimiterTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000L);

	private final RateLimiter limiter = new RateLimiter(5, Duration.ofSeconds(6), this.now::get);

	@Test
	void aBurstOfFiveThenOneEverySixSeconds() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.take(1)).as("run %d of the burst", i + 1).isEmpty();
		}
		assertThat(this.limiter.take(1)).contains(Duration.ofSeconds(6));
		advance(Duration.ofSeconds(2));
		assertThat(this.limiter.take(1)).contains(Duration.ofSeconds(4));
		advance(Duration.ofSeconds(4));
		assertThat(this.limiter.take(1)).isEmpty();
		assertThat(this.limiter.take(1)).contains(Duration.ofSeconds(6));
	}

	@Test
	void aRefusedTakeCostsNothing() {
		for (int i = 0; i < 5; i++) {
			this.limiter.take(1);
		}
		for (int i = 0; i < 10; i++) {
			assertThat(this.limiter.take(1)).isPresent();
		}
		advance(Duration.ofSeconds(6));
		assertThat(this.limiter.take(1)).isEmpty();
	}

	@Test
	void eachKeyHasItsOwnBucket() {
		for (int i = 0; i < 5; i++) {
			this.limiter.take(1);
		}
		assertThat(this.limiter.take(1)).isPresent();
		assertThat(this.limiter.take(2)).isEmpty();
	}

	@Test
	void theBucketFillsUpToTheBurstAndNoFurther() {
		this.limiter.take(1);
		advance(Duration.ofHours(1));
		for (int i = 0; i < 5; i++) {
			assertThat(this.limiter.take(1)).isEmpty();
		}
		assertThat(this.limiter.take(1)).isPresent();
	}

	@Test
	void aGivenBackTakeCanBeTakenAgain() {
		for (int i = 0; i < 5; i++) {
			this.limiter.take(1);
		}
		this.limiter.giveBack(1);
		assertThat(this.limiter.take(1)).isEmpty();
		assertThat(this.limiter.take(1)).isPresent();
	}

	@Test
	void keysWithAFullBucketAreForgotten() {
		for (long key = 0; key < 5000; key++) {
			this.limiter.take(key);
			advance(Duration.ofMillis(10));
		}
		// 5000 keys over 50 s: only those of the last 6 s (one take each) can still have a bucket that is not full.
		assertThat(this.limiter.remembered()).isLessThanOrEqualTo(2 * 1024);
		advance(Duration.ofMinutes(1));
		for (long key = 10_000; key < 11_100; key++) {
			this.limiter.take(key);
		}
		assertThat(this.limiter.remembered()).isLessThanOrEqualTo(1100);
	}

	@Test
	void aLimitNeedsABurstAndAnInterval() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(0, Duration.ofSeconds(6), System::nanoTime));
		assertThatIllegalArgumentException().isThrownBy(() -> new RateLimiter(5, Duration.ZERO, System::nanoTime));
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

}
