package org.ffilab.studentwork;

import org.ffilab.account.LabUser;
import org.ffilab.run.ApiException;
import org.ffilab.studentwork.SelfChecks.SelfCheckState;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The task page's self-check boxes: always the signed-in student's own ticks. */
@RestController
@RequestMapping("/api/self-checks/{task}")
class SelfCheckController {

	private final SelfChecks selfChecks;

	SelfCheckController(SelfChecks selfChecks) {
		this.selfChecks = selfChecks;
	}

	@GetMapping
	SelfCheckState get(@PathVariable String task, LabUser user) {
		return this.selfChecks.state(user, task);
	}

	/** Body {"item": 0, "ticked": true}; answers the task's state after the change. */
	@PostMapping
	SelfCheckState set(@PathVariable String task, @RequestBody(required = false) Tick tick, LabUser user) {
		if (tick == null || tick.item() == null || tick.ticked() == null) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "Send {\"item\": <index>, \"ticked\": true|false}");
		}
		return this.selfChecks.set(user, task, tick.item(), tick.ticked());
	}

	record Tick(Integer item, Boolean ticked) {
	}

}
