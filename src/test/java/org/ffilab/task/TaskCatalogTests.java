package org.ffilab.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TaskCatalogTests {

	@TempDir
	Path content;

	@Test
	void loadsTaskWithTrack() throws IOException {
		Path track = writeTask("01-first-task", "warm-up");
		TaskCatalog catalog = catalog();
		Task task = catalog.find("01-first-task").orElseThrow();
		assertThat(task.number()).isEqualTo(1);
		assertThat(task.title()).isEqualTo("First task");
		assertThat(task.level()).isEqualTo(TaskLevel.WARM_UP);
		assertThat(task.statementHtml()).isEqualTo("<p>Do <em>this</em>.</p>\n");
		assertThat(task.hintsHtml()).containsExactly("<p>Look <code>here</code></p>\n");
		assertThat(task.selfCheck()).containsExactly("I can explain it");
		Track python = task.track("python").orElseThrow();
		assertThat(python.image()).isEqualTo("python");
		assertThat(python.editable()).containsExactly("main.py");
		assertThat(python.starter()).containsEntry("main.py", "print('start')\n");
		assertThat(python.solution()).containsEntry("main.py", "print('done')\n");
		assertThat(python.support()).containsKey("lib/driver.py");
		assertThat(python.limits().wallSeconds()).isEqualTo(30);
		assertThat(python.hazards()).singleElement().satisfies((hazard) -> {
			assertThat(hazard.name()).isEqualTo("broken");
			assertThat(hazard.files()).containsEntry("main.py", "print('broken')\n");
		});
		assertThat(catalog.images()).containsExactly("python");
		assertThat(Files.exists(track)).isTrue();
	}

	@Test
	void groupsByLevelInCourseOrder() throws IOException {
		writeTask("02-second", "core");
		writeTask("01-first", "warm-up");
		assertThat(catalog().byLevel()).containsOnlyKeys(TaskLevel.WARM_UP, TaskLevel.CORE);
		assertThat(catalog().byLevel().keySet()).first().isEqualTo(TaskLevel.WARM_UP);
	}

	@Test
	void unknownLevelNamesTheFile() throws IOException {
		writeTask("01-first", "expert");
		assertThatExceptionOfType(ContentException.class).isThrownBy(this::catalog)
			.withMessageContaining("01-first/task.md")
			.withMessageContaining("unknown level 'expert'");
	}

	@Test
	void missingSolutionFileNamesTheFile() throws IOException {
		Path track = writeTask("01-first", "warm-up");
		Files.delete(track.resolve("solution/main.py"));
		assertThatExceptionOfType(ContentException.class).isThrownBy(this::catalog)
			.withMessageContaining("solution/main.py")
			.withMessageContaining("missing");
	}

	@Test
	void editableFileWithPathIsRefused() throws IOException {
		Path track = writeTask("01-first", "warm-up");
		Files.writeString(track.resolve("track.yml"), "title: Python\nimage: python\neditable: [../main.py]\n");
		assertThatExceptionOfType(ContentException.class).isThrownBy(this::catalog)
			.withMessageContaining("track.yml")
			.withMessageContaining("plain file name");
	}

	@Test
	void aTrackMayDeclareACleanMachine() throws IOException {
		Path track = writeTask("01-first", "warm-up");
		Files.writeString(track.resolve("track.yml"), """
				title: Python
				image: python
				editable: [main.py]
				cleanMachine:
				  image: python-runtime
				  collect: [wheelhouse, build/out.txt]
				  check: clean_check.py
				  tests: [installs on a clean machine]
				  limits:
				    wallSeconds: 20
				""");
		write(track.resolve("clean_check.py"), "def run(c):\n    pass\n");
		TaskCatalog catalog = catalog();
		Track python = catalog.find("01-first").orElseThrow().track("python").orElseThrow();
		CleanMachine clean = python.cleanMachine();
		assertThat(clean.image()).isEqualTo("python-runtime");
		assertThat(clean.collect()).containsExactly("wheelhouse", "build/out.txt");
		assertThat(new String(clean.check())).isEqualTo("def run(c):\n    pass\n");
		assertThat(clean.tests()).containsExactly("installs on a clean machine");
		assertThat(clean.limits().wallSeconds()).isEqualTo(20);
		// The second stage's check is a file of the track folder, never a support file.
		assertThat(python.support()).doesNotContainKey("clean_check.py");
		assertThat(catalog.images()).containsExactly("python", "python-runtime");
	}

	@Test
	void aTrackWithoutACleanMachineHasNone() throws IOException {
		writeTask("01-first", "warm-up");
		assertThat(catalog().find("01-first").orElseThrow().track("python").orElseThrow().cleanMachine()).isNull();
	}

	@Test
	void aCleanMachineMustCollectPlainPathsAndNameItsCheckAndTests() throws IOException {
		Path track = writeTask("01-first", "warm-up");
		write(track.resolve("clean_check.py"), "def run(c):\n    pass\n");
		String head = "title: Python\nimage: python\neditable: [main.py]\ncleanMachine:\n  image: python-runtime\n";
		Map<String, String> refused = Map.of(
				"  collect: [../etc]\n  check: clean_check.py\n  tests: [t]\n", "relative path under the work directory",
				"  collect: [/etc]\n  check: clean_check.py\n  tests: [t]\n", "relative path under the work directory",
				"  collect: [.hidden]\n  check: clean_check.py\n  tests: [t]\n", "relative path under the work directory",
				"  collect: []\n  check: clean_check.py\n  tests: [t]\n", "'collect' must be a non-empty list",
				"  collect: [dist]\n  check: check.py\n  tests: [t]\n", "other than check.py",
				"  collect: [dist]\n  check: missing.py\n  tests: [t]\n", "missing.py",
				"  collect: [dist]\n  check: clean_check.py\n", "'tests' must be a non-empty list");
		for (Map.Entry<String, String> entry : refused.entrySet()) {
			Files.writeString(track.resolve("track.yml"), head + entry.getKey());
			assertThatExceptionOfType(ContentException.class).as(entry.getKey())
				.isThrownBy(this::catalog)
				.withMessageContaining("01-first")
				.withMessageContaining(entry.getValue());
		}
	}

	@Test
	void taskWithoutFrontMatterIsRefused() throws IOException {
		Path track = writeTask("01-first", "warm-up");
		Files.writeString(track.getParent().getParent().resolve("task.md"), "# Just a heading\n");
		assertThatExceptionOfType(ContentException.class).isThrownBy(this::catalog)
			.withMessageContaining("task.md")
			.withMessageContaining("front matter");
	}

	@Test
	void badFolderNameIsRefused() throws IOException {
		Files.createDirectories(this.content.resolve("tasks/First Task"));
		assertThatExceptionOfType(ContentException.class).isThrownBy(this::catalog)
			.withMessageContaining("First Task")
			.withMessageContaining("NN-slug");
	}

	private TaskCatalog catalog() {
		return new TaskCatalog(new ContentProperties(this.content), new MarkdownRenderer());
	}

	private Path writeTask(String id, String level) throws IOException {
		Path dir = Files.createDirectories(this.content.resolve("tasks").resolve(id));
		Files.writeString(dir.resolve("task.md"), """
				---
				title: First task
				level: %s
				selfCheck:
				  - I can explain it
				hints:
				  - Look `here`
				---
				Do *this*.
				""".formatted(level));
		Path track = Files.createDirectories(dir.resolve("tracks/python"));
		Files.writeString(track.resolve("track.yml"),
				"title: Python\nimage: python\neditable:\n  - main.py\nlimits:\n  wallSeconds: 30\n");
		write(track.resolve("starter/main.py"), "print('start')\n");
		write(track.resolve("solution/main.py"), "print('done')\n");
		write(track.resolve("support/lib/driver.py"), "# driver\n");
		write(track.resolve("check.py"), "def run(check):\n    pass\n");
		write(track.resolve("hazards/broken/main.py"), "print('broken')\n");
		write(track.resolve("hazards/broken/expected.json"), "{\"status\": \"fail\"}\n");
		return track;
	}

	private static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
	}

}
