package org.ffilab.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Accounts in the app_user table. */
@Repository
class UserRepository {

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	long insert(String username, String displayName, String passwordHash, Role role, Instant createdAt) {
		KeyHolder key = new GeneratedKeyHolder();
		this.jdbc.sql("""
				INSERT INTO app_user (username, display_name, password_hash, role, created_at)
				VALUES (:username, :name, :hash, :role, :created)""")
			.param("username", username)
			.param("name", displayName)
			.param("hash", passwordHash)
			.param("role", role.name())
			.param("created", createdAt.atOffset(ZoneOffset.UTC))
			.update(key, "id");
		return key.getKeyAs(Number.class).longValue();
	}

	Optional<StoredUser> findByUsername(String username) {
		return this.jdbc.sql("SELECT * FROM app_user WHERE username = :username")
			.param("username", username)
			.query(UserRepository::map)
			.optional();
	}

	Optional<StoredUser> findById(long id) {
		return this.jdbc.sql("SELECT * FROM app_user WHERE id = :id").param("id", id).query(UserRepository::map).optional();
	}

	List<StoredUser> findAll() {
		return this.jdbc.sql("SELECT * FROM app_user ORDER BY role, username").query(UserRepository::map).list();
	}

	boolean anyWithRole(Role role) {
		return this.jdbc.sql("SELECT COUNT(*) FROM app_user WHERE role = :role")
			.param("role", role.name())
			.query(Long.class)
			.single() > 0;
	}

	void updatePasswordHash(long id, String passwordHash) {
		this.jdbc.sql("UPDATE app_user SET password_hash = :hash WHERE id = :id")
			.param("hash", passwordHash)
			.param("id", id)
			.update();
	}

	void updateRole(long id, Role role) {
		this.jdbc.sql("UPDATE app_user SET role = :role WHERE id = :id").param("role", role.name()).param("id", id).update();
	}

	private static StoredUser map(ResultSet rs, int row) throws SQLException {
		return new StoredUser(new LabUser(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
				Role.valueOf(rs.getString("role"))), rs.getString("password_hash"));
	}

	/** A user row with its password hash, which never leaves this package. */
	record StoredUser(LabUser user, String passwordHash) {
	}

}
