package org.ffilab.e2e;

import java.time.Duration;
import java.util.List;

import org.ffilab.task.Hazard;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A student's own work in Chromium, against the real app and the real sandbox: two attempts of task 1 in History,
 * the first opened again, the two compared, a self-check ticked and still ticked after a reload, and the task list
 * showing the task passed with the self-check count.
 */
class StudentWorkEndToEndTests extends ChromiumTest {

	@Test
	void historyDiffAndSelfCheckOfTaskOne() {
		Task task = this.catalog.find("01-ctypes-cos").orElseThrow();
		Track track = task.track("python").orElseThrow();
		Hazard noRestype = track.hazards().stream().filter((h) -> h.name().equals("no-restype")).findFirst().orElseThrow();
		String file = track.editable().get(0);
		var page = taskPage().open(task.id(), track.id());

		assertThat(page.paste(noRestype.files()).run().awaitVerdict().getText()).contains("Failed");
		assertThat(page.paste(track.solution()).run().awaitVerdict().getText()).contains("Passed");

		List<WebElement> attempts = browser.waitUpTo(Duration.ofSeconds(20)).until((d) -> {
			List<WebElement> items = d.findElements(By.cssSelector("#history .history-item"));
			return (items.size() == 2 && items.get(0).getText().contains("passed")) ? items : null;
		});
		assertThat(attempts.get(0).getText()).contains("#2").contains("passed").contains("6/6 tests");
		assertThat(attempts.get(1).getText()).contains("#1").contains("failed");

		// The first attempt, opened again: its code in the editor, its output and verdict below.
		attempts.get(1).findElement(By.cssSelector(".history-open")).click();
		browser.waitUpTo(Duration.ofSeconds(30))
			.until((d) -> d.findElement(By.id("verdict")).getText().contains("Failed"));
		String hazardLine = onlyInTheHazard(noRestype.files().get(file));
		browser.waitUpTo(Duration.ofSeconds(10))
			.until((d) -> d.findElement(By.cssSelector("#editor .cm-content")).getText().contains(hazardLine));
		assertThat(page.output()).contains("without restype");
		assertThat(browser.driver.findElement(By.cssSelector(".history-item[aria-current=true]")).getText())
			.contains("#1");
		assertThat(browser.driver.getCurrentUrl()).contains("run=");

		// The two compared: the solution's restype line was added.
		for (WebElement attempt : browser.driver.findElements(By.cssSelector("#history .history-item"))) {
			attempt.findElement(By.cssSelector(".history-pick")).click();
		}
		browser.driver.findElement(By.cssSelector(".history-compare")).click();
		WebElement diff = browser.waitUpTo(Duration.ofSeconds(20))
			.until((d) -> d.findElements(By.cssSelector(".history-diff .diff-add")).isEmpty() ? null
					: d.findElement(By.cssSelector(".history-diff")));
		assertThat(diff.getText()).contains("Changes from attempt #1 to #2").contains(file);
		assertThat(diff.findElements(By.cssSelector(".diff-add")).stream().map(WebElement::getText))
			.anyMatch((line) -> line.contains("cos.restype = ctypes.c_double"));
		assertThat(diff.findElements(By.cssSelector(".diff-del"))).isNotEmpty();

		// A self-check tick survives a reload.
		WebElement box = browser.driver.findElement(By.cssSelector("input[data-self-check='0']"));
		assertThat(box.isSelected()).isFalse();
		box.click();
		browser.waitUpTo(Duration.ofSeconds(10))
			.until((d) -> "saved".equals(d.findElement(By.id("self-check-status")).getDomAttribute("data-state")));
		browser.driver.navigate().refresh();
		assertThat(browser.waitUpTo(Duration.ofSeconds(10))
			.until((d) -> d.findElement(By.cssSelector("input[data-self-check='0']")))
			.isSelected()).isTrue();
		assertThat(browser.driver.findElement(By.cssSelector("input[data-self-check='1']")).isSelected()).isFalse();

		// The task list: passed, and one of the task's self-checks.
		browser.driver.get(url("/"));
		WebElement card = browser.driver.findElement(By.cssSelector(".task-card[data-task='" + task.id() + "']"));
		assertThat(card.getDomAttribute("class")).contains("task-done");
		assertThat(card.getText()).contains("passed").contains("1/" + task.selfCheck().size() + " self-checks");
	}

	/** A line of the file that only that version has, to recognise it in the editor. */
	private static String onlyInTheHazard(String content) {
		return content.lines().filter((line) -> line.contains("restype is missing")).findFirst().orElseThrow().strip();
	}

}
