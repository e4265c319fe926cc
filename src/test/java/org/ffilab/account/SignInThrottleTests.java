package org.ffilab.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignInThrottleTests {

	private final MovableClock clock = new MovableClock();

	private final SignInThrottle throttle = new SignInThrottle(
			new SignInThrottleProperties(5, Duration.ofMinutes(10), Duration.ofMinutes(5)), this.clock);

	@Test
	void fiveWrongPasswordsWithinTheWindowLockTheUsernameForTheLockout() {
		for (int i = 0; i < 4; i++) {
			this.throttle.failed("ada");
			this.clock.advance(Duration.ofMinutes(2));
		}
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
		this.throttle.failed("ada");
		assertThat(this.throttle.lockedFor("ada")).contains(Duration.ofMinutes(5));
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(this.throttle.lockedFor("ada")).contains(Duration.ofMinutes(1));
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
	}

	@Test
	void wrongPasswordsOlderThanTheWindowDoNotCount() {
		for (int i = 0; i < 4; i++) {
			this.throttle.failed("ada");
		}
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		this.throttle.failed("ada");
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
	}

	@Test
	void afterTheLockoutTheCountStartsAgain() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("ada");
		}
		this.clock.advance(Duration.ofMinutes(5));
		this.throttle.failed("ada");
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
	}

	@Test
	void usernamesAreCountedApartAndAsTheyAreStored() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed((i % 2 == 0) ? "Ada" : " ada ");
		}
		assertThat(this.throttle.lockedFor("ADA")).isPresent();
		assertThat(this.throttle.lockedFor("grace")).isEmpty();
	}

	@Test
	void aResetLiftsTheLockAndForgetsTheCount() {
		for (int i = 0; i < 5; i++) {
			this.throttle.failed("ada");
		}
		this.throttle.reset("ada");
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
		for (int i = 0; i < 4; i++) {
			this.throttle.failed("ada");
		}
		assertThat(this.throttle.lockedFor("ada")).isEmpty();
	}

	@Test
	void theMessageRoundsUpToWholeMinutes() {
		assertThat(SignInThrottledException.message(Duration.ofSeconds(61))).contains("Try again in 2 minutes");
		assertThat(SignInThrottledException.message(Duration.ofSeconds(5))).contains("Try again in 1 minute,");
	}

	private static final class MovableClock extends Clock {

		private Instant now = Instant.parse("2026-11-27T08:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
