package org.ffilab.e2e;

import java.time.Duration;
import java.util.Map;

import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
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
		browser.driver.get(url("/tasks/" + task.id()));
		browser.script("localStorage.clear()");
		browser.driver.navigate().refresh();

		pasteFiles(track.solution());
		run();
		WebElement verdict = awaitVerdict();
		assertThat(verdict.getText()).contains("Passed");
		assertThat(browser.driver.findElement(By.id("output")).getText()).isNotBlank();
		assertThat(browser.driver.getCurrentUrl()).as("a reload reattaches to the run").contains("run=");

		var hazard = track.hazards().stream().filter((h) -> !h.name().contains("forg")).findFirst().orElseThrow();
		pasteFiles(hazard.files());
		run();
		verdict = awaitVerdict();
		assertThat(verdict.getText()).contains("Failed");
		String failedTest = hazard.expectedJson().replaceAll("(?s).*\"failedTests\"\\s*:\\s*\\[\\s*\"([^\"]+)\".*", "$1");
		assertThat(verdict.getText()).contains(failedTest);

		browser.driver.navigate().refresh();
		browser.waitUpTo(Duration.ofSeconds(30))
			.until((d) -> d.findElement(By.id("verdict")).getText().contains("Failed"));
	}

	/** Replaces each file's editor content the way a student pastes code: select all, paste. */
	private void pasteFiles(Map<String, String> files) {
		for (var file : files.entrySet()) {
			browser.driver.findElements(By.cssSelector("#editor-tabs button, #editor-tabs [role=tab]"))
				.stream()
				.filter((tab) -> tab.getText().contains(file.getKey()))
				.findFirst()
				.ifPresent(WebElement::click);
			WebElement content = browser.waitUpTo(Duration.ofSeconds(10))
				.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#editor .cm-content")));
			content.click();
			new Actions(browser.driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).perform();
			browser.script("""
					const data = new DataTransfer();
					data.setData('text/plain', arguments[1]);
					arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
					""", content, file.getValue());
			browser.waitUpTo(Duration.ofSeconds(5))
				.until((d) -> normalized(content.getText()).equals(normalized(file.getValue())));
		}
	}

	private void run() {
		browser.script("document.getElementById('verdict').textContent = ''");
		browser.driver.findElement(By.id("run-button")).click();
	}

	private WebElement awaitVerdict() {
		return browser.waitUpTo(Duration.ofSeconds(120)).until((d) -> {
			WebElement verdict = d.findElement(By.id("verdict"));
			String text = verdict.getText();
			return (text.contains("Passed") || text.contains("Failed") || text.contains("Error")) ? verdict : null;
		});
	}

	private static String normalized(String text) {
		return text.replace("\u00a0", " ").strip().replaceAll("\\s+", " ");
	}

	private Task firstTask() {
		return this.catalog.all().iterator().next();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

}
