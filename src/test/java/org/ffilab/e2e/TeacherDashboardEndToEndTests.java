package org.ffilab.e2e;

import java.time.Duration;
import java.util.UUID;

import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance test of the teacher's dashboard, in two Chromium sessions against the real app and sandbox: a
 * teacher creates a class and keeps its dashboard open; a student signs up with the join code, runs the reference
 * solution of task 1, and the student's task-1 cell on the teacher's page turns green without a reload.
 */
class TeacherDashboardEndToEndTests extends ChromiumTest {

	private static final String TASK = "01-ctypes-cos";

	@Test
	void aStudentsPassingRunTurnsTheirCellGreenOnTheTeachersOpenDashboard() throws Exception {
		// The teacher, in the class's browser.
		LabUser teacher = createUser("teacher", Role.TEACHER);
		signIn(teacher);
		browser.driver.get(url("/classes"));
		browser.driver.findElement(By.id("class-name")).sendKeys("FFI, e2e " + UUID.randomUUID());
		browser.driver.findElement(By.id("create-class")).click();
		browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches("/classes/\\d+$"));
		String joinCode = browser.driver.findElement(By.id("join-code")).getText();
		assertThat(joinCode).matches("[A-Z2-9]{8}");
		browser.waitUpTo(Duration.ofSeconds(10))
			.until((d) -> "live".equals(d.findElement(By.id("live-state")).getAttribute("data-state")));
		// Survives only as long as the page is not reloaded.
		browser.script("window.ffilabSamePage = true");

		Task task = this.catalog.find(TASK).orElseThrow();
		Track track = task.track("python").orElseThrow();
		String username = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		try (Browser second = new Browser()) {
			// The student, in a second browser: signs up with the code through the form.
			second.driver.get(url("/signup"));
			second.driver.findElement(By.id("code")).sendKeys(joinCode.toLowerCase());
			second.driver.findElement(By.id("username")).sendKeys(username);
			second.driver.findElement(By.id("displayName")).sendKeys("Ada E2E");
			second.driver.findElement(By.id("password")).sendKeys(LabSession.PASSWORD);
			second.driver.findElement(By.id("repeatPassword")).sendKeys(LabSession.PASSWORD);
			second.driver.findElement(By.id("sign-up")).click();
			second.waitUpTo(Duration.ofSeconds(10)).until((d) -> !d.getCurrentUrl().contains("/signup"));

			// The new student's row appears on the open dashboard.
			WebElement cell = browser.waitUpTo(Duration.ofSeconds(10))
				.until((d) -> d.findElement(cellOf(username)));
			assertThat(cell.getAttribute("data-state")).isEqualTo("none");
			browser.script("""
					const cell = arguments[0];
					const timer = setInterval(() => {
					  if (cell.dataset.state === 'running' && !window.ffilabRunningAt) window.ffilabRunningAt = Date.now();
					  if (cell.dataset.state === 'pass') { window.ffilabGreenAt = Date.now(); clearInterval(timer); }
					}, 10);""", cell);

			TaskPage page = new TaskPage(second, url("")).open(task.id(), track.id());
			second.script("""
					const verdict = document.getElementById('verdict');
					new MutationObserver(() => {
					  if (!window.ffilabVerdictAt && verdict.textContent.includes('Passed')) window.ffilabVerdictAt = Date.now();
					}).observe(verdict, {childList: true, subtree: true, characterData: true});""");
			WebElement verdict = page.paste(track.solution()).run().awaitVerdict();
			assertThat(verdict.getText()).contains("Passed");

			browser.waitUpTo(Duration.ofSeconds(5))
				.until((d) -> "pass".equals(d.findElement(cellOf(username)).getAttribute("data-state")));
			long verdictAt = ((Number) second.script("return window.ffilabVerdictAt")).longValue();
			long greenAt = ((Number) browser.script("return window.ffilabGreenAt")).longValue();
			Object runningAt = browser.script("return window.ffilabRunningAt || null");
			System.out.printf("Dashboard cell green %d ms after the student's verdict appeared (running shown: %s)%n",
					greenAt - verdictAt, (runningAt != null));
		}

		WebDriver teacherPage = browser.driver;
		assertThat(browser.script("return window.ffilabSamePage === true")).as("no reload").isEqualTo(true);
		WebElement green = teacherPage.findElement(cellOf(username));
		assertThat(green.getAttribute("class")).contains("cell-pass");
		assertThat(green.getText()).contains("1");
		WebElement link = green.findElement(By.tagName("a"));
		assertThat(link.getAttribute("href")).contains("/runs/");
		WebElement latest = teacherPage.findElement(By.cssSelector("#feed li"));
		assertThat(latest.getAttribute("data-outcome")).isEqualTo("pass");
		assertThat(latest.getText()).contains("Ada E2E").contains("Task 1");
		assertThat(teacherPage.findElement(By.cssSelector("#stats-table tr[data-task='" + TASK + "'] .stats-passed"))
			.getText()).contains("1 / 1");

		// The cell opens the attempt, read-only, with the student's code and the verdict.
		link.click();
		browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/runs/"));
		browser.waitUpTo(Duration.ofSeconds(15))
			.until((d) -> d.findElement(By.id("verdict")).getText().contains("Passed"));
		assertThat(teacherPage.findElement(By.id("attempt-student")).getText()).contains("Ada E2E");
		WebElement code = teacherPage.findElement(By.cssSelector("#editor .cm-content"));
		assertThat(code.getText()).contains("ctypes");
		assertThat(code.getAttribute("aria-readonly")).isEqualTo("true");
		code.click();
		code.sendKeys("TYPED BY THE TEACHER");
		assertThat(code.getText()).as("read-only").doesNotContain("TYPED BY THE TEACHER");
		assertThat(teacherPage.findElement(By.id("output")).getText()).isNotBlank();
	}

	private static By cellOf(String username) {
		return By.xpath("//table[@id='matrix-table']//tr[th[contains(., '" + username + "')]]/td[@data-task='" + TASK
				+ "']");
	}

}
