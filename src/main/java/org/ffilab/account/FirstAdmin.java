package org.ffilab.account;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** Makes sure the lab has an administrator: the one configured, or one with a random password told once in the log. */
@Component
class FirstAdmin implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

	private final Accounts accounts;

	private final AdminProperties properties;

	FirstAdmin(Accounts accounts, AdminProperties properties) {
		this.accounts = accounts;
		this.properties = properties;
	}

	@Override
	public void run(ApplicationArguments args) {
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
					+ "it; this message is not repeated). Sign in and change it.", admin.username(), password);
		}
		else {
			log.info("Created the first administrator '{}' from FFILAB_ADMIN_USERNAME/FFILAB_ADMIN_PASSWORD",
					admin.username());
		}
	}

}
