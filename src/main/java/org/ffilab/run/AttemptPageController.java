package org.ffilab.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ffilab.account.Accounts;
import org.ffilab.account.LabUser;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * One attempt, read-only: its code, output and verdict, for the student who made it, their teacher or an admin
 * (RunService decides; anyone else gets 404, as for a run that does not exist). The page's script loads the output
 * and the verdict, and follows the run live if it is still going.
 */
@Controller
class AttemptPageController {

	private final RunService runs;

	private final TaskCatalog catalog;

	private final Accounts accounts;

	private final ObjectMapper json;

	private final SandboxProperties limits;

	AttemptPageController(RunService runs, TaskCatalog catalog, Accounts accounts, ObjectMapper json,
			SandboxProperties limits) {
		this.runs = runs;
		this.catalog = catalog;
		this.accounts = accounts;
		this.json = json;
		this.limits = limits;
	}

	@GetMapping("/runs/{id}")
	String attempt(@PathVariable String id, LabUser viewer, Model model) {
		RunView run = this.runs.find(id, viewer)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no run " + id));
		Task task = this.catalog.find(run.task()).orElse(null);
		Track track = (task != null) ? task.track(run.track()).orElse(null) : null;
		model.addAttribute("run", run);
		model.addAttribute("taskTitle", (task != null) ? task.title() : run.task());
		model.addAttribute("taskNumber", (task != null) ? task.number() : null);
		model.addAttribute("trackTitle", (track != null) ? track.title() : run.track());
		model.addAttribute("student", (run.userId() != null) ? this.accounts.find(run.userId()).orElse(null) : null);
		model.addAttribute("ownAttempt", run.userId() != null && run.userId() == viewer.id());
		model.addAttribute("limits", (track != null) ? track.limits().resolve(this.limits) : null);
		model.addAttribute("filesJson", filesJson(run.files(), track));
		return "attempt";
	}

	/** The run's files in the track's tab order, as JSON safe inside a script element. */
	private String filesJson(Map<String, String> files, Track track) {
		Map<String, String> ordered = new LinkedHashMap<>();
		if (track != null) {
			track.editable().stream().filter(files::containsKey).forEach((name) -> ordered.put(name, files.get(name)));
		}
		files.forEach(ordered::putIfAbsent);
		List<Map<String, String>> list = new ArrayList<>();
		ordered.forEach((name, content) -> list.add(Map.of("name", name, "content", content)));
		return this.json.writeValueAsString(list)
			.replace("<", "\\u003c")
			.replace(">", "\\u003e")
			.replace("&", "\\u0026");
	}

}
