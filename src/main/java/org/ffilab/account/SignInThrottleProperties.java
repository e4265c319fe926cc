package org.ffilab.account;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the lab slows down password guessing: after {@code maxFailures} wrong passwords for one username within
 * {@code window}, that username cannot sign in with a password for {@code lockout} (whoever tries, with whatever
 * password). Counted in memory, per app instance; a restart forgets them.
 *
 * @param maxFailures wrong passwords for one username that lock it
 * @param window how far back wrong passwords count
 * @param lockout how long a locked username stays locked
 */
@ConfigurationProperties("ffilab.sign-in")
public record SignInThrottleProperties(@DefaultValue("5") int maxFailures, @DefaultValue("10m") Duration window,
		@DefaultValue("5m") Duration lockout) {

	public SignInThrottleProperties {
		if (maxFailures < 1) {
			throw new IllegalArgumentException("ffilab.sign-in.max-failures must be at least 1");
		}
	}

}
