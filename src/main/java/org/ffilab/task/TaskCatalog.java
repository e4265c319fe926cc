package org.ffilab.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/** Every task of the course, loaded once at start-up; a broken folder stops start-up with its name. */
@Component
public class TaskCatalog {

	private static final Logger logger = LoggerFactory.getLogger(TaskCatalog.class);

	private final Map<String, Task> tasks;

	public TaskCatalog(ContentProperties properties, MarkdownRenderer markdown) {
		this.tasks = load(properties.contentDir().resolve("tasks"), new TaskLoader(markdown));
		logger.info("Loaded {} tasks from {}", this.tasks.size(), properties.contentDir().toAbsolutePath());
	}

	private static Map<String, Task> load(Path tasksDir, TaskLoader loader) {
		if (!Files.isDirectory(tasksDir)) {
			throw new ContentException(tasksDir.toAbsolutePath(),
					"missing: set ffilab.content-dir to the folder that holds tasks/");
		}
		Map<String, Task> loaded = new LinkedHashMap<>();
		try (Stream<Path> dirs = Files.list(tasksDir)) {
			for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
				Task task = loader.load(dir);
				loaded.values().stream().filter((t) -> t.number() == task.number()).findFirst().ifPresent((t) -> {
					throw new ContentException(dir, "has the same number as " + t.id());
				});
				loaded.put(task.id(), task);
			}
		}
		catch (IOException ex) {
			throw new ContentException(tasksDir, "cannot be read", ex);
		}
		return loaded;
	}

	public Collection<Task> all() {
		return this.tasks.values();
	}

	public Optional<Task> find(String id) {
		return Optional.ofNullable(this.tasks.get(id));
	}

	public Map<TaskLevel, List<Task>> byLevel() {
		return this.tasks.values()
			.stream()
			.collect(Collectors.groupingBy(Task::level, LinkedHashMap::new, Collectors.toList()));
	}

	/** The sandbox images the course needs (clean-machine stages included), for the health check. */
	public List<String> images() {
		return List.copyOf(this.tasks.values()
			.stream()
			.flatMap((task) -> task.tracks().values().stream())
			.flatMap((track) -> (track.cleanMachine() != null)
					? Stream.of(track.image(), track.cleanMachine().image()) : Stream.of(track.image()))
			.collect(Collectors.toCollection(TreeSet::new)));
	}

}
