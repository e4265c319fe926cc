package org.ffilab.account;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/** A password sign-in refused, without looking at the password, because the username had too many wrong ones. */
public class SignInThrottledException extends AuthenticationException {

	public SignInThrottledException(Duration left) {
		super(message(left));
	}

	static String message(Duration left) {
		long minutes = Math.max(1, (left.toSeconds() + 59) / 60);
		return "Too many wrong passwords for this username. Try again in " + minutes
				+ ((minutes == 1) ? " minute" : " minutes") + ", or ask your teacher or an admin to reset your password.";
	}

}
