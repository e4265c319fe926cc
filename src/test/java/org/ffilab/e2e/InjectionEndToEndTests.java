package org.ffilab.e2e;

import java.util.Map;

import org.ffilab.account.LabUser;
import org.ffilab.account.Role;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.ffilab.testsupport.LabSession;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Script injection through everything a student controls that other pages show: their program's output (on
 * their task page and in the verdict) and their display name (in the header). Run in Chromium against the real
 * sandbox; a payload that ran would set window.pwned.
 */
class InjectionEndToEndTests extends ChromiumTest {

	private static final String PAYLOAD = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

	@Test
	void htmlInProgramOutputAndInANameIsShownAsTextAndNeverRuns() {
		LabUser hostile = this.accounts.create("hostile-" + System.nanoTime(), PAYLOAD, LabSession.PASSWORD,
				Role.STUDENT);
		signIn(hostile);
		assertThat(browser.driver.findElement(By.id("signed-in-as")).getText()).contains(PAYLOAD);

		Task task = this.catalog.find("01-ctypes-cos").orElseThrow();
		Track track = task.track("python").orElseThrow();
		String file = track.editable().get(0);
		String code = "print(" + pythonString(PAYLOAD) + ", flush=True)\n" + track.solution().get(file);
		var page = taskPage().open(task.id(), track.id());
		page.paste(Map.of(file, code)).run().awaitVerdict();

		assertThat(page.output()).contains(PAYLOAD);
		assertThat(browser.driver.findElements(By.cssSelector("#output img, #output script, #verdict img, "
				+ "#verdict script"))).as("elements made from the output").isEmpty();
		assertThat(browser.script("return window.pwned === undefined")).isEqualTo(true);
	}

	private static String pythonString(String text) {
		return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

}
