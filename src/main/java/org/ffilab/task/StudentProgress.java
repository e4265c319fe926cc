package org.ffilab.task;

import java.util.Map;
import java.util.Set;

import org.ffilab.account.LabUser;

/**
 * What a student has done on the tasks, for the task list and the task page. Defined here and implemented where a
 * student's work is stored (studentwork), so the task pages never depend on that package.
 */
public interface StudentProgress {

	/** The tasks the student has touched (a run that ended, or a ticked self-check), by task id. */
	Map<String, TaskProgress> of(LabUser student);

	/** The self-check items (their index in {@link Task#selfCheck()}) the student ticked on a task. */
	Set<Integer> ticked(LabUser student, String taskId);

	/**
	 * @param attempted a run of the task ended
	 * @param passed a run of the task passed
	 * @param ticked the self-check items ticked, by index
	 */
	record TaskProgress(boolean attempted, boolean passed, Set<Integer> ticked) {

		/** How many of the task's self-check items are ticked (ticks of items the task no longer has do not count). */
		public int tickedOf(Task task) {
			return (int) this.ticked.stream().filter((item) -> item >= 0 && item < task.selfCheck().size()).count();
		}

	}

}
