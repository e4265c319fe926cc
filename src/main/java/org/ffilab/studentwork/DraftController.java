package org.ffilab.studentwork;

import java.util.Map;

import org.ffilab.account.LabUser;
import org.ffilab.run.ApiException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The task page's server-side draft: always the signed-in student's own. There is no DELETE: a reset stores the
 * starter files, so a browser that still holds the old draft sees the reset as the newer draft.
 */
@RestController
@RequestMapping("/api/drafts/{task}/{track}")
class DraftController {

	private final Drafts drafts;

	DraftController(Drafts drafts) {
		this.drafts = drafts;
	}

	/** 200 with the draft, or 204 when there is none. */
	@GetMapping
	ResponseEntity<Draft> get(@PathVariable String task, @PathVariable String track, LabUser user) {
		return this.drafts.find(user, task, track)
			.map(ResponseEntity::ok)
			.orElseGet(() -> ResponseEntity.noContent().build());
	}

	/** Body {"files": {"name": "content"}}; answers {"savedAt": ...}. */
	@PutMapping
	Map<String, Object> save(@PathVariable String task, @PathVariable String track,
			@RequestBody(required = false) DraftBody body, LabUser user) {
		if (body == null || body.files() == null) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "The draft has no files");
		}
		return Map.of("savedAt", this.drafts.save(user, task, track, body.files()).savedAt());
	}

	record DraftBody(Map<String, String> files) {
	}

}
