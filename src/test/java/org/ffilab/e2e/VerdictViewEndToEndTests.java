package org.ffilab.e2e;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.ffilab.task.Hazard;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a verdict shows a student, in Chromium against the real sandbox: a memory error as a failed
 * Memory badge with a finding on their own line (and a gutter marker there), and benchmark numbers
 * next to the reference solution's from the same image.
 */
class VerdictViewEndToEndTests extends ChromiumTest {

	@Test
	void doubleFreeFailsMemoryWithAFindingOnTheStudentsLine() {
		Task task = task("10-");
		Track track = task.defaultTrack();
		Hazard doubleFree = track.hazards().stream().filter((h) -> h.name().equals("double-free")).findFirst().orElseThrow();
		Map<String, String> files = new HashMap<>(track.solution());
		files.putAll(doubleFree.files());
		var page = taskPage().open(task.id(), track.id());

		WebElement verdict = page.paste(files).run().awaitVerdict();

		assertThat(verdict.findElements(By.cssSelector(".verdict-groups .badge-fail")))
			.extracting(WebElement::getText)
			.anyMatch((badge) -> badge.contains("Memory"));
		WebElement finding = verdict.findElements(By.cssSelector(".verdict-findings > li"))
			.stream()
			.filter((f) -> f.getText().toLowerCase().contains("double"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no double-free finding in:\n" + verdict.getText()));
		String editable = track.editable().get(0);
		WebElement link = finding.findElement(By.cssSelector("a.frame-link"));
		assertThat(link.getText()).startsWith(editable + ":");
		assertThat(page.gutterMarkers()).as("a gutter marker on the student's line").isNotEmpty();
	}

	@Test
	void benchmarkNumbersStandNextToTheReferenceSolutions() {
		Task task = task("05-");
		Track track = task.defaultTrack();
		var page = taskPage().open(task.id(), track.id());
		page.paste(track.solution()).run().awaitVerdict();
		// The first run with metrics has the reference measured in the background; a reload of the
		// run shows it as soon as it is there.
		browser.waitUpTo(Duration.ofSeconds(120)).until((d) -> {
			d.navigate().refresh();
			page.awaitVerdict();
			return d.findElements(By.cssSelector(".verdict-metrics .metric-reference")).stream()
				.anyMatch((cell) -> !cell.getText().isBlank() && !cell.getText().equals("\u2013"));
		});
		String metrics = browser.driver.findElement(By.cssSelector(".verdict-metrics")).getText();
		assertThat(metrics).contains("Reference").contains("BenchmarkCgoNoop").contains("BenchmarkGoNoop");
	}

	private Task task(String prefix) {
		return this.catalog.all().stream().filter((t) -> t.id().startsWith(prefix)).findFirst().orElseThrow();
	}

}
