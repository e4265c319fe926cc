package org.ffilab.run;

import java.time.Duration;
import java.util.Optional;

import org.ffilab.account.LabUser;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * How often one student may press Run (ffilab.runs.rate-limit). Teachers and admins are not limited: they are
 * few, they try tasks out run after run, and the queue already keeps anyone to one run in a sandbox at a time.
 */
@Component
class RunRateLimit {

	private final RunProperties.RateLimit settings;

	private final RateLimiter limiter;

	RunRateLimit(RunProperties properties) {
		this.settings = properties.rateLimit();
		this.limiter = this.settings.enabled()
				? new RateLimiter(this.settings.burst(), this.settings.refill(), System::nanoTime) : null;
	}

	/** Counts a submission against the user's limit, or refuses it with 429 and Retry-After. */
	void take(LabUser user) {
		if (!applies(user)) {
			return;
		}
		Optional<Duration> wait = this.limiter.take(user.id());
		if (wait.isPresent()) {
			long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS,
					"Too many runs in a short time: try again in " + seconds + " s. You can start "
							+ this.settings.burst() + " runs in a row, then one every "
							+ this.settings.refill().toSeconds() + " s.",
					Duration.ofSeconds(seconds));
		}
	}

	/** Gives the submission back: it was refused for another reason (the queue was full). */
	void giveBack(LabUser user) {
		if (applies(user)) {
			this.limiter.giveBack(user.id());
		}
	}

	private boolean applies(LabUser user) {
		return this.limiter != null && !user.isTeacher();
	}

}
