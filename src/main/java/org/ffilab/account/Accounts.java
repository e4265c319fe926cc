package org.ffilab.account;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Creates and finds accounts; the one place that checks usernames and passwords. */
@Service
public class Accounts {

	/** Lowercase, so "Ada" and "ada" are one person; no spaces, so a username is safe in CSV and URLs. */
	private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{1,62}");

	static final int MIN_PASSWORD_LENGTH = 10;

	private final UserRepository users;

	private final PasswordEncoder passwords;

	Accounts(UserRepository users, PasswordEncoder passwords) {
		this.users = users;
		this.passwords = passwords;
	}

	/** Creates an account with a password; fails with a message for the person signing up. */
	public LabUser create(String username, String displayName, String password, Role role) {
		checkPassword(password);
		return insert(username, displayName, this.passwords.encode(password), role);
	}

	/** Creates an account that signs in only through single sign-on. */
	public LabUser createWithoutPassword(String username, String displayName, Role role) {
		return insert(username, displayName, null, role);
	}

	public Optional<LabUser> find(long id) {
		return this.users.findById(id).map(UserRepository.StoredUser::user);
	}

	public Optional<LabUser> findByUsername(String username) {
		return this.users.findByUsername(normalize(username)).map(UserRepository.StoredUser::user);
	}

	public List<LabUser> all() {
		return this.users.findAll().stream().map(UserRepository.StoredUser::user).toList();
	}

	public boolean anyAdmin() {
		return this.users.anyWithRole(Role.ADMIN);
	}

	/** Sets a new password without asking for the old one (an admin's reset, or the first admin's recovery). */
	public void changePassword(long id, String newPassword) {
		checkPassword(newPassword);
		this.users.updatePasswordHash(id, this.passwords.encode(newPassword));
	}

	/**
	 * A person changes their own password: the current one must be right. Fails with a message for them; a wrong
	 * current password throws {@link WrongPasswordException}.
	 */
	public void changePassword(long id, String currentPassword, String newPassword) {
		String hash = this.users.findById(id)
			.map(UserRepository.StoredUser::passwordHash)
			.orElseThrow(() -> new AccountException("This account has no password: you sign in through single "
					+ "sign-on, and your password is changed there."));
		if (currentPassword == null || !this.passwords.matches(currentPassword, hash)) {
			throw new WrongPasswordException();
		}
		if (currentPassword.equals(newPassword)) {
			throw new AccountException("The new password is the one you have. Pick another one.");
		}
		changePassword(id, newPassword);
	}

	/** Whether the account can sign in with a password (accounts made by single sign-on have none). */
	public boolean hasPassword(long id) {
		return this.users.findById(id).map((stored) -> stored.passwordHash() != null).orElse(false);
	}

	/** An admin gives someone another role; nobody changes their own, so the lab always keeps an admin. */
	public LabUser changeRole(LabUser admin, long id, Role role) {
		LabUser user = find(id).orElseThrow(() -> new AccountException("No such account."));
		if (user.id() == admin.id()) {
			throw new AccountException("You cannot change your own role. Another admin can.");
		}
		this.users.updateRole(id, role);
		return new LabUser(user.id(), user.username(), user.displayName(), role);
	}

	/** The stored form of a username: trimmed and lowercase. */
	public static String normalize(String username) {
		return (username != null) ? username.strip().toLowerCase(Locale.ROOT) : "";
	}

	private LabUser insert(String username, String displayName, String passwordHash, Role role) {
		String name = normalize(username);
		if (!USERNAME.matcher(name).matches()) {
			throw new AccountException("A username has 2 to 63 characters: letters, digits and . _ @ - "
					+ "(no spaces), starting with a letter or digit.");
		}
		String display = (displayName != null && !displayName.isBlank()) ? displayName.strip() : name;
		if (display.length() > 200 || display.chars().anyMatch(Character::isISOControl)) {
			throw new AccountException("A display name has at most 200 characters and no control characters.");
		}
		if (this.users.findByUsername(name).isPresent()) {
			throw new AccountException("The username " + name + " is taken. Pick another one.");
		}
		try {
			long id = this.users.insert(name, display, passwordHash, role, Instant.now());
			return new LabUser(id, name, display, role);
		}
		catch (DuplicateKeyException ex) {
			throw new AccountException("The username " + name + " is taken. Pick another one.");
		}
	}

	private static void checkPassword(String password) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
			throw new AccountException("A password has at least " + MIN_PASSWORD_LENGTH + " characters.");
		}
		if (password.length() > 200) {
			throw new AccountException("A password has at most 200 characters.");
		}
	}

}
