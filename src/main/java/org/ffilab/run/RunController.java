package org.ffilab.run;

import java.util.List;
import java.util.Map;

import org.ffilab.account.LabUser;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The API the task page uses to submit code and follow a run. */
@RestController
@RequestMapping("/api/runs")
class RunController {

	private final RunService runs;

	RunController(RunService runs) {
		this.runs = runs;
	}

	@PostMapping
	ResponseEntity<Map<String, String>> submit(@RequestBody(required = false) Submission submission, LabUser user) {
		if (submission == null) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "The request body is empty");
		}
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", this.runs.submit(submission, user)));
	}

	/** Runs the stored files of a run that ended in an infrastructure error again; 202 {"id"} of the new run. */
	@PostMapping("/{id}/retry")
	ResponseEntity<Map<String, String>> retry(@PathVariable String id, LabUser user) {
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", this.runs.retry(id, user)));
	}

	/** The signed-in student's own attempts of a task, newest first: GET /api/runs?task=...&track=... */
	@GetMapping
	List<RunSummary> history(@RequestParam(required = false) String task,
			@RequestParam(required = false) String track, LabUser user) {
		if (task == null || task.isBlank()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "Name the task: /api/runs?task=...&track=...");
		}
		return this.runs.history(user, task, (track == null || track.isBlank()) ? null : track);
	}

	@GetMapping("/{id}")
	RunView get(@PathVariable String id, LabUser viewer) {
		return this.runs.find(id, viewer)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "There is no run " + id));
	}

}
