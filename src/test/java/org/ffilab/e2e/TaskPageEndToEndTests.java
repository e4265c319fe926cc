package org.ffilab.e2e;

import java.time.Duration;

import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A student in Chromium, against the real app and the real sandbox: open task 1, paste the
 * reference solution, run it and watch it pass; paste a hazard and watch it fail with its reason.
 */
class TaskPageEndToEndTests extends ChromiumTest {

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
		var page = taskPage().open(task.id(), track.id());

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

}
