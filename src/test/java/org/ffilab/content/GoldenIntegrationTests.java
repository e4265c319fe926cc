package org.ffilab.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.ffilab.grading.Verdict;
import org.ffilab.run.Grader;
import org.ffilab.task.Hazard;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reference solution must pass and every hazard must fail the way its expected.json says,
 * through the real sandbox under the production profile. Run with -Dffilab.golden.rewrite=true to
 * rewrite the expected files from what the grader now says, for a person to review in the diff.
 */
@SpringBootTest
@ActiveProfiles("test")
@Tag("docker")
class GoldenIntegrationTests {

	private static final boolean REWRITE = Boolean.getBoolean("ffilab.golden.rewrite");

	/** Restricts the suite to task ids starting with this, e.g. -Dffilab.golden.only=01 */
	private static final String ONLY = System.getProperty("ffilab.golden.only", "");

	@Autowired
	TaskCatalog catalog;

	@Autowired
	Grader grader;

	@TestFactory
	Stream<DynamicNode> solutionsPassAndHazardsFail() {
		return this.catalog.all()
			.stream()
			.filter((task) -> task.id().startsWith(ONLY))
			.map((task) -> DynamicContainer.dynamicContainer(task.id(),
					task.tracks().values().stream().map((track) -> trackTests(task, track))));
	}

	private DynamicNode trackTests(Task task, Track track) {
		List<DynamicNode> tests = new ArrayList<>();
		tests.add(DynamicTest.dynamicTest("solution passes",
				() -> check(task, track, track.solution(), ExpectedVerdict.PASS, null)));
		for (Hazard hazard : track.hazards()) {
			Map<String, String> files = new HashMap<>(track.solution());
			files.putAll(hazard.files());
			tests.add(DynamicTest.dynamicTest("hazard " + hazard.name(),
					() -> check(task, track, files, ExpectedVerdict.parse(hazard.expectedJson()), hazard)));
		}
		return DynamicContainer.dynamicContainer(track.id(), tests);
	}

	private void check(Task task, Track track, Map<String, String> files, ExpectedVerdict expected, Hazard hazard)
			throws IOException {
		StringBuilder output = new StringBuilder();
		Verdict verdict = this.grader.grade(UUID.randomUUID().toString(), task, track, files, output::append);
		if (REWRITE && hazard != null) {
			Path file = Path.of(System.getProperty("ffilab.content-dir", "content"), "tasks", task.id(), "tracks",
					track.id(), "hazards", hazard.name(), "expected.json");
			Files.writeString(file, ExpectedVerdict.of(verdict).toJson());
			return;
		}
		assertThat(expected.mismatches(verdict)).as("verdict %s\noutput:\n%s", verdict, output).isEmpty();
	}

}
