package org.ffilab.e2e;

import org.ffilab.task.TaskCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

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

	@BeforeAll
	static void startBrowser() throws Exception {
		assertThat(Browser.available()).as("Chromium and chromedriver (scripts/lab installs them)").isTrue();
		browser = new Browser();
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.close();
		}
	}

	String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	TaskPage taskPage() {
		return new TaskPage(browser, url(""));
	}

}
