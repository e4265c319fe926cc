package org.ffilab.e2e;

import java.time.Duration;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.task.TaskCatalog;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.openqa.selenium.By;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The real app on a random port, the real sandbox, and one Chromium per test class. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Tag("docker")
@Tag("browser")
abstract class ChromiumTest {

	static Browser browser;

	@LocalServerPort
	int port;

	@Autowired
	TaskCatalog catalog;

	@Autowired
	Accounts accounts;

	/** The student this class's browser is signed in as. */
	static LabUser student;

	@BeforeAll
	static void startBrowser() throws Exception {
		assertThat(Browser.available()).as("Chromium and chromedriver (scripts/lab installs them)").isTrue();
		browser = new Browser();
	}

	@AfterAll
	static void stopBrowser() {
		student = null;
		if (browser != null) {
			browser.close();
		}
	}

	@BeforeEach
	void signInOnce() {
		if (student == null) {
			student = createUser("student", Role.STUDENT);
			signIn(student);
		}
	}

	LabUser createUser(String prefix, Role role) {
		return LabSession.createUser(this.accounts, prefix, role);
	}

	/** Signs in through the sign-in page, as a person would. */
	void signIn(LabUser user) {
		browser.driver.manage().deleteAllCookies();
		browser.driver.get(url("/login"));
		browser.driver.findElement(By.id("username")).sendKeys(user.username());
		browser.driver.findElement(By.id("password")).sendKeys(LabSession.PASSWORD);
		browser.driver.findElement(By.id("sign-in")).click();
		browser.waitUpTo(Duration.ofSeconds(10)).until((d) -> !d.getCurrentUrl().contains("/login"));
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	TaskPage taskPage() {
		return new TaskPage(browser, url(""));
	}

}
