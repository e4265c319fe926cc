package org.ffilab.account;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Makes sure the lab has an administrator: the one configured, or one with a random password told once in the log.
 * With ffilab.admin.reset-password it also lets the operator back in when every admin password is lost.
 */
@Component
class FirstAdmin implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

	private final Accounts accounts;

	private final UserRepository users;

	private final AccountSessions sessions;

	private final AdminProperties properties;

	FirstAdmin(Accounts accounts, UserRepository users, AccountSessions sessions, AdminProperties properties) {
		this.accounts = accounts;
		this.users = users;
		this.sessions = sessions;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
		if (this.properties.resetPassword()) {
			resetPassword();
			return;
		}
		if (this.accounts.anyAdmin()) {
			return;
		}
		String password = this.properties.password();
		boolean generated = password == null || password.isBlank();
		if (generated) {
			byte[] random = new byte[18];
			new SecureRandom().nextBytes(random);
			password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		}
		LabUser admin;
		try {
			admin = this.accounts.create(this.properties.username(), "Administrator", password, Role.ADMIN);
		}
		catch (AccountException ex) {
			throw new IllegalStateException("Cannot create the first administrator from FFILAB_ADMIN_USERNAME and "
					+ "FFILAB_ADMIN_PASSWORD: " + ex.getMessage());
		}
		if (generated) {
			log.warn("Created the first administrator '{}' with the password {} (set FFILAB_ADMIN_PASSWORD to choose "
					+ "it; this message is not repeated). Sign in and change it on your Account page (/account).", admin.username(), password);
		}
		else {
			log.info("Created the first administrator '{}' from FFILAB_ADMIN_USERNAME/FFILAB_ADMIN_PASSWORD",
					admin.username());
		}
	}

	private void resetPassword() {
		String password = this.properties.password();
		if (password == null || password.isBlank()) {
			throw new IllegalStateException("FFILAB_ADMIN_RESET_PASSWORD is set: set FFILAB_ADMIN_PASSWORD to the new "
					+ "password as well");
		}
		try {
			LabUser admin = this.accounts.findByUsername(this.properties.username()).orElse(null);
			if (admin == null) {
				admin = this.accounts.create(this.properties.username(), "Administrator", password, Role.ADMIN);
			}
			else {
				this.accounts.changePassword(admin.id(), password);
				this.users.updateRole(admin.id(), Role.ADMIN);
				this.sessions.signOut(admin, null);
			}
			log.warn("Set the password of the administrator '{}' from FFILAB_ADMIN_PASSWORD because "
					+ "FFILAB_ADMIN_RESET_PASSWORD is set. Remove FFILAB_ADMIN_RESET_PASSWORD now: while it is set, every "
					+ "start sets this password again.", admin.username());
		}
		catch (AccountException ex) {
			throw new IllegalStateException("Cannot reset the administrator's password from FFILAB_ADMIN_USERNAME and "
					+ "FFILAB_ADMIN_PASSWORD: " + ex.getMessage());
		}
	}

}
