package org.ffilab.account;

import java.time.Duration;
import java.util.Optional;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Password sign-in (the form and HTTP Basic) with the {@link SignInThrottle} in front: a locked username is refused
 * before its password is looked at, and every wrong password is counted, for known and unknown usernames alike so
 * that the answers do not tell which usernames exist.
 */
@Component
class ThrottledPasswordSignIn implements AuthenticationProvider {

	private final DaoAuthenticationProvider passwords;

	private final SignInThrottle throttle;

	ThrottledPasswordSignIn(UserRepository users, PasswordEncoder encoder, SignInThrottle throttle) {
		this.passwords = new DaoAuthenticationProvider(new PasswordSignIn(users));
		this.passwords.setPasswordEncoder(encoder);
		this.throttle = throttle;
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		String username = authentication.getName();
		Optional<Duration> locked = this.throttle.lockedFor(username);
		if (locked.isPresent()) {
			throw new SignInThrottledException(locked.get());
		}
		try {
			Authentication result = this.passwords.authenticate(authentication);
			this.throttle.reset(username);
			return result;
		}
		catch (BadCredentialsException ex) {
			this.throttle.failed(username);
			// The wrong password that locks the username says so at once.
			Optional<Duration> nowLocked = this.throttle.lockedFor(username);
			if (nowLocked.isPresent()) {
				throw new SignInThrottledException(nowLocked.get());
			}
			throw ex;
		}
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
	}

}
