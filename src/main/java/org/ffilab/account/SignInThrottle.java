package org.ffilab.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Counts wrong passwords per username and locks a username that had too many ({@link SignInThrottleProperties}).
 * Per username rather than per address: students share a campus network's addresses. The price is that anyone can
 * lock a username for a few minutes by typing wrong passwords; the lockout is short for that reason, and an admin's
 * password reset lifts it.
 */
@Component
public class SignInThrottle {

	/** Usernames tracked at most; past it, expired ones are dropped, and new ones are not counted until room frees. */
	static final int MAX_TRACKED = 100_000;

	private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

	private final SignInThrottleProperties properties;

	private final Clock clock;

	private final Map<String, Failures> failures = new ConcurrentHashMap<>();

	@Autowired
	SignInThrottle(SignInThrottleProperties properties) {
		this(properties, Clock.systemUTC());
	}

	SignInThrottle(SignInThrottleProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	/** How much longer the username is locked, if it is. */
	public Optional<Duration> lockedFor(String username) {
		Failures entry = this.failures.get(Accounts.normalize(username));
		if (entry == null) {
			return Optional.empty();
		}
		synchronized (entry) {
			Duration left = Duration.between(this.clock.instant(), entry.lockedUntil);
			return (left.isPositive()) ? Optional.of(left) : Optional.empty();
		}
	}

	/** A wrong password for the username; locks it when it was one too many. */
	public void failed(String username) {
		String name = Accounts.normalize(username);
		if (!this.failures.containsKey(name) && this.failures.size() >= MAX_TRACKED) {
			dropExpired();
			if (this.failures.size() >= MAX_TRACKED) {
				return;
			}
		}
		Failures entry = this.failures.computeIfAbsent(name, (key) -> new Failures());
		Instant now = this.clock.instant();
		synchronized (entry) {
			entry.times.addLast(now);
			while (entry.times.size() > this.properties.maxFailures()
					|| entry.times.peekFirst().isBefore(now.minus(this.properties.window()))) {
				entry.times.removeFirst();
			}
			if (entry.times.size() >= this.properties.maxFailures()) {
				entry.lockedUntil = now.plus(this.properties.lockout());
				entry.times.clear();
				log.warn("Locked password sign-in of '{}' for {} after {} wrong passwords", name,
						this.properties.lockout(), this.properties.maxFailures());
			}
		}
	}

	/** A right password (or an admin's reset): the count starts again. */
	public void reset(String username) {
		this.failures.remove(Accounts.normalize(username));
	}

	private void dropExpired() {
		Instant now = this.clock.instant();
		Instant countedFrom = now.minus(this.properties.window());
		this.failures.entrySet().removeIf((e) -> {
			synchronized (e.getValue()) {
				Instant last = e.getValue().times.peekLast();
				return !e.getValue().lockedUntil.isAfter(now) && (last == null || last.isBefore(countedFrom));
			}
		});
	}

	private static final class Failures {

		final Deque<Instant> times = new ArrayDeque<>();

		Instant lockedUntil = Instant.EPOCH;

	}

}
