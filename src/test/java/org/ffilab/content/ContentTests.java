package org.ffilab.content;

import java.nio.file.Path;

import org.ffilab.grading.Verdict;
import org.ffilab.task.ContentProperties;
import org.ffilab.task.MarkdownRenderer;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The course itself, without Docker: every task loads, renders, and has a solution and hazards. */
class ContentTests {

	static TaskCatalog catalog() {
		return new TaskCatalog(new ContentProperties(Path.of(System.getProperty("ffilab.content-dir", "content"))),
				new MarkdownRenderer());
	}

	@Test
	void everyTrackHasASolutionAndHazardsThatMustFail() {
		TaskCatalog catalog = catalog();
		assertThat(catalog.all()).isNotEmpty();
		for (Task task : catalog.all()) {
			assertThat(task.statementHtml()).as(task.id()).isNotBlank();
			assertThat(task.hintsHtml()).as(task.id() + " hints").isNotEmpty();
			for (Track track : task.tracks().values()) {
				String where = task.id() + "/" + track.id();
				assertThat(track.solution()).as(where).containsOnlyKeys(track.editable());
				assertThat(track.hazards()).as(where + " hazards").isNotEmpty();
				track.hazards().forEach((hazard) -> {
					ExpectedVerdict expected = ExpectedVerdict.parse(hazard.expectedJson());
					assertThat(expected.status()).as(where + "/" + hazard.name()).isIn(Verdict.FAIL, Verdict.ERROR);
					assertThat(hazard.files()).as(where + "/" + hazard.name())
						.isNotEqualTo(track.solution());
				});
			}
		}
	}

	@Test
	void starterFilesDifferFromTheSolution() {
		for (Task task : catalog().all()) {
			for (Track track : task.tracks().values()) {
				assertThat(track.starter()).as(task.id() + "/" + track.id()).isNotEqualTo(track.solution());
			}
		}
	}

}
