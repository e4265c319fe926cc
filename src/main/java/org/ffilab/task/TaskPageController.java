package org.ffilab.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ffilab.account.LabUser;
import org.ffilab.sandbox.SandboxProperties;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/** The task list and the task page. */
@Controller
class TaskPageController {

	private final TaskCatalog catalog;

	private final ObjectMapper json;

	private final SandboxProperties limits;

	private final StudentProgress progress;

	TaskPageController(TaskCatalog catalog, ObjectMapper json, SandboxProperties limits, StudentProgress progress) {
		this.catalog = catalog;
		this.json = json;
		this.limits = limits;
		this.progress = progress;
	}

	@GetMapping("/")
	String list(Model model, LabUser user) {
		model.addAttribute("levels", this.catalog.byLevel());
		model.addAttribute("progress", this.progress.of(user));
		return "tasks";
	}

	@GetMapping("/tasks/{id}")
	String task(@PathVariable String id, @RequestParam(required = false) String track,
			@RequestParam(required = false) String run, Model model, LabUser user) {
		Task task = this.catalog.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no task " + id));
		Track selected = (track != null) ? task.track(track)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Task " + id + " has no track " + track))
				: task.defaultTrack();
		model.addAttribute("task", task);
		model.addAttribute("track", selected);
		model.addAttribute("runId", run);
		model.addAttribute("limits", selected.limits().resolve(this.limits));
		model.addAttribute("filesJson", starterFilesJson(selected));
		model.addAttribute("ticked", this.progress.ticked(user, task.id()));
		return "task";
	}

	/** JSON for a script element: '<', '>' and '&' are escaped so file text can never close the element. */
	private String starterFilesJson(Track track) {
		List<Map<String, String>> files = new ArrayList<>();
		for (String name : track.editable()) {
			files.add(Map.of("name", name, "language", EditorLanguage.of(name), "content", track.starter().get(name)));
		}
		return this.json.writeValueAsString(files)
			.replace("<", "\\u003c")
			.replace(">", "\\u003e")
			.replace("&", "\\u0026");
	}

}
