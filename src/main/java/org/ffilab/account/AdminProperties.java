package org.ffilab.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first administrator, created at the first start when the lab has none (FFILAB_ADMIN_USERNAME,
 * FFILAB_ADMIN_PASSWORD), and the way back in when every admin password is lost (FFILAB_ADMIN_RESET_PASSWORD).
 *
 * @param username the first admin's username
 * @param password their password; when empty, a random one is made and written to the log once. Used only while the
 * lab has no admin, or with {@code resetPassword}: changing it later changes nobody's password
 * @param resetPassword at start-up, give the account {@code username} the password {@code password} and the admin
 * role (creating it if needed), even though the lab has admins; remove it again after the start, or every restart
 * sets that password once more
 */
@ConfigurationProperties("ffilab.admin")
public record AdminProperties(String username, String password, boolean resetPassword) {

	public AdminProperties {
		username = (username == null || username.isBlank()) ? "admin" : username;
	}

}
