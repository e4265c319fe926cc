package org.ffilab.studentwork;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.ffilab.account.LabUser;
import org.ffilab.grading.Verdict;
import org.ffilab.run.RunService;
import org.ffilab.task.StudentProgress;

import org.springframework.stereotype.Component;

/** The task list's view of a student's work: the best outcome of their runs and the self-check items they ticked. */
@Component
class StudentWorkProgress implements StudentProgress {

	private final RunService runs;

	private final SelfCheckRepository ticks;

	StudentWorkProgress(RunService runs, SelfCheckRepository ticks) {
		this.runs = runs;
		this.ticks = ticks;
	}

	@Override
	public Map<String, TaskProgress> of(LabUser student) {
		Map<String, String> outcomes = this.runs.bestOutcomes(student.id());
		Map<String, Set<Integer>> ticked = this.ticks.tickedByTask(student.id());
		Map<String, TaskProgress> progress = new HashMap<>();
		for (String task : outcomes.keySet()) {
			progress.put(task, new TaskProgress(true, Verdict.PASS.equals(outcomes.get(task)),
					ticked.getOrDefault(task, Set.of())));
		}
		ticked.forEach((task, items) -> progress.putIfAbsent(task, new TaskProgress(false, false, items)));
		return progress;
	}

	@Override
	public Set<Integer> ticked(LabUser student, String taskId) {
		return this.ticks.ticked(student.id(), taskId);
	}

}
