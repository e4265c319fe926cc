package org.ffilab.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The task page as a student uses it: open a track, paste code into the editor, run, read the verdict. */
final class TaskPage {

	private final Browser browser;

	private final String baseUrl;

	TaskPage(Browser browser, String baseUrl) {
		this.browser = browser;
		this.baseUrl = baseUrl;
	}

	TaskPage open(String taskId, String trackId) {
		this.browser.driver.get(this.baseUrl + "/tasks/" + taskId + "?track=" + trackId);
		this.browser.script("localStorage.clear()");
		this.browser.driver.navigate().refresh();
		this.browser.waitUpTo(Duration.ofSeconds(10))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#editor .cm-content")));
		// The server's draft (from an earlier test of this student) may replace the editor's files: wait for it.
		this.browser.waitUpTo(Duration.ofSeconds(10))
			.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#task-page[data-draft-sync]")));
		return this;
	}

	/** Replaces each file's editor content the way a student pastes code: select all, paste. */
	TaskPage paste(Map<String, String> files) {
		for (var file : files.entrySet()) {
			showTab(file.getKey());
			WebElement content = this.browser.waitUpTo(Duration.ofSeconds(10))
				.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#editor .cm-content")));
			content.click();
			new Actions(this.browser.driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).perform();
			this.browser.script("""
					const data = new DataTransfer();
					data.setData('text/plain', arguments[1]);
					arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
					""", content, file.getValue());
			this.browser.waitUpTo(Duration.ofSeconds(5))
				.until((d) -> normalized(content.getText()).equals(normalized(file.getValue())));
		}
		return this;
	}

	void showTab(String fileName) {
		this.browser.driver.findElements(By.cssSelector("#editor-tabs button, #editor-tabs [role=tab]"))
			.stream()
			.filter((tab) -> tab.getText().contains(fileName))
			.findFirst()
			.ifPresent(WebElement::click);
	}

	TaskPage run() {
		this.browser.script("document.getElementById('verdict').textContent = ''");
		this.browser.driver.findElement(By.id("run-button")).click();
		return this;
	}

	WebElement awaitVerdict() {
		return this.browser.waitUpTo(Duration.ofSeconds(180)).until((d) -> {
			WebElement verdict = d.findElement(By.id("verdict"));
			String text = verdict.getText();
			return (text.contains("Passed") || text.contains("Failed") || text.contains("Error")) ? verdict : null;
		});
	}

	String output() {
		return this.browser.driver.findElement(By.id("output")).getText();
	}

	List<WebElement> gutterMarkers() {
		return this.browser.driver.findElements(By.cssSelector("#editor .cm-gutter [title], #editor .cm-gutterElement [title]"));
	}

	private static String normalized(String text) {
		return text.replace("\u00a0", " ").strip().replaceAll("\\s+", " ");
	}

}
