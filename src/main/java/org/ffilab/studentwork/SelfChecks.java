package org.ffilab.studentwork;

import java.time.Instant;
import java.util.Set;

import org.ffilab.account.LabUser;
import org.ffilab.run.ApiException;
import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** The self-check items a student ticked, per task: only their own, only items the task has. */
@Service
public class SelfChecks {

	private final SelfCheckRepository ticks;

	private final TaskCatalog catalog;

	SelfChecks(SelfCheckRepository ticks, TaskCatalog catalog) {
		this.ticks = ticks;
		this.catalog = catalog;
	}

	public SelfCheckState state(LabUser student, String taskId) {
		Task task = task(taskId);
		return new SelfCheckState(task.id(), task.selfCheck().size(), ticked(student, task));
	}

	/** Ticks or unticks one item (by its index in the task's list) and answers the task's state after it. */
	public SelfCheckState set(LabUser student, String taskId, int item, boolean ticked) {
		Task task = task(taskId);
		if (item < 0 || item >= task.selfCheck().size()) {
			throw new ApiException(HttpStatus.BAD_REQUEST,
					"Task " + task.id() + " has " + task.selfCheck().size() + " self-check items; there is no item " + item);
		}
		if (ticked) {
			this.ticks.tick(student.id(), task.id(), item, Instant.now());
		}
		else {
			this.ticks.untick(student.id(), task.id(), item);
		}
		return new SelfCheckState(task.id(), task.selfCheck().size(), ticked(student, task));
	}

	private Set<Integer> ticked(LabUser student, Task task) {
		Set<Integer> ticked = this.ticks.ticked(student.id(), task.id());
		// Ticks of items the task no longer has (its list got shorter) are not shown.
		ticked.removeIf((item) -> item >= task.selfCheck().size());
		return ticked;
	}

	private Task task(String taskId) {
		return this.catalog.find(taskId)
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "There is no task '" + taskId + "'"));
	}

	/**
	 * @param items how many self-check items the task has
	 * @param ticked the ticked ones, by index
	 */
	public record SelfCheckState(String task, int items, Set<Integer> ticked) {
	}

}
