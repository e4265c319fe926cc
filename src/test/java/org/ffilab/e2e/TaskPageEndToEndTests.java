package org.ffilab.e2e;

import java.time.Duration;

import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A student in Chromium, against the real app and the real sandbox: open task 1, paste the
 * reference solution, run it and watch it pass; paste a hazard and watch it fail with its reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Tag("docker")
@Tag("browser")
class TaskPageEndToEndTests {

	private static Browser browser;

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

	@Test
	void taskListLinksToTheTasks() {
		browser.driver.get(url("/"));
		assertThat(browser.driver.findElement(By.tagName("h2")).getText()).isEqualTo("Warm-Up");
		Task first = firstTask();
		browser.driver.findElement(By.linkText(first.title())).click();
		browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/tasks/" + first.id()));
		assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo(first.title());
	}

	@Test
	void solutionPassesAndHazardFailsWithItsReason() {
		Task task = firstTask();
		Track track = task.defaultTrack();
		var page = new TaskPage(browser, url("")).open(task.id(), track.id());

		WebElement verdict = page.paste(track.solution()).run().awaitVerdict();
		assertThat(verdict.getText()).contains("Passed");
		assertThat(page.output()).isNotBlank();
		assertThat(browser.driver.getCurrentUrl()).as("a reload reattaches to the run").contains("run=");

		var hazard = track.hazards().stream().filter((h) -> !h.name().contains("forg")).findFirst().orElseThrow();
		verdict = page.paste(hazard.files()).run().awaitVerdict();
		assertThat(verdict.getText()).contains("Failed");
		String failedTest = hazard.expectedJson().replaceAll("(?s).*\"failedTests\"\\s*:\\s*\\[\\s*\"([^\"]+)\".*", "$1");
		assertThat(verdict.getText()).contains(failedTest);

		browser.driver.navigate().refresh();
		browser.waitUpTo(Duration.ofSeconds(30))
			.until((d) -> d.findElement(By.id("verdict")).getText().contains("Failed"));
	}

	private Task firstTask() {
		return this.catalog.all().iterator().next();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
