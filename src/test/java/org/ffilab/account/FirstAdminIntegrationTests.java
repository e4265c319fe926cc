package org.ffilab.account;

import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The first admin and the way back in with FFILAB_ADMIN_RESET_PASSWORD, against the real database. */
@SpringBootTest(properties = { "ffilab.sandbox.docker-host=unix:///tmp/ffilab-no-engine.sock",
		"ffilab.content-dir=src/test/resources/test-content" })
@ActiveProfiles("test")
class FirstAdminIntegrationTests {

	private static final String NEW_PASSWORD = "back-in-with-this-one";

	@Autowired
	Accounts accounts;

	@Autowired
	UserRepository users;

	@Autowired
	AccountSessions sessions;

	@Autowired
	PasswordEncoder passwords;

	@Test
	void theLabStartsWithAnAdmin() {
		assertThat(this.accounts.anyAdmin()).isTrue();
	}

	@Test
	void withoutTheResetFlagAConfiguredPasswordChangesNothingOnceThereIsAnAdmin() {
		LabUser admin = LabSession.createUser(this.accounts, "keeper", Role.ADMIN);
		start(new AdminProperties(admin.username(), NEW_PASSWORD, false));
		assertThat(passwordIs(admin, LabSession.PASSWORD)).isTrue();
	}

	@Test
	void theResetFlagGivesTheAdminTheConfiguredPassword() {
		LabUser admin = LabSession.createUser(this.accounts, "forgetful", Role.ADMIN);
		start(new AdminProperties(admin.username(), NEW_PASSWORD, true));
		assertThat(passwordIs(admin, NEW_PASSWORD)).isTrue();
		assertThat(passwordIs(admin, LabSession.PASSWORD)).isFalse();
	}

	@Test
	void theResetFlagMakesTheNamedAccountAnAdminOrCreatesIt() {
		LabUser student = LabSession.createUser(this.accounts, "promoted", Role.STUDENT);
		start(new AdminProperties(student.username(), NEW_PASSWORD, true));
		assertThat(this.accounts.find(student.id()).orElseThrow().role()).isEqualTo(Role.ADMIN);

		start(new AdminProperties("brand-new-admin", NEW_PASSWORD, true));
		LabUser created = this.accounts.findByUsername("brand-new-admin").orElseThrow();
		assertThat(created.role()).isEqualTo(Role.ADMIN);
		assertThat(passwordIs(created, NEW_PASSWORD)).isTrue();
	}

	@Test
	void aResetWithoutAPasswordOrWithOneTooShortStopsTheStartWithAMessage() {
		assertThatIllegalStateException().isThrownBy(() -> start(new AdminProperties("admin", "", true)))
			.withMessageContaining("set FFILAB_ADMIN_PASSWORD");
		assertThatIllegalStateException().isThrownBy(() -> start(new AdminProperties("admin", "short", true)))
			.withMessageContaining("FFILAB_ADMIN_PASSWORD: A password has at least 10 characters");
	}

	private void start(AdminProperties properties) {
		new FirstAdmin(this.accounts, this.users, this.sessions, properties).run(null);
	}

	private boolean passwordIs(LabUser user, String password) {
		return this.passwords.matches(password,
				this.users.findById(user.id()).map(UserRepository.StoredUser::passwordHash).orElseThrow());
	}

}
