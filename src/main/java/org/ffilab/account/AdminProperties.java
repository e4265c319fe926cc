package org.ffilab.account;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first administrator, created at the first start when the lab has none (FFILAB_ADMIN_USERNAME,
 * FFILAB_ADMIN_PASSWORD).
 *
 * @param username the first admin's username
 * @param password their password; when empty, a random one is made and written to the log once
 */
@ConfigurationProperties("ffilab.admin")
public record AdminProperties(String username, String password) {

	public AdminProperties {
		username = (username == null || username.isBlank()) ? "admin" : username;
	}

}
