package org.ffilab.classroom;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ffilab.classroom.DashboardView.Student;
import org.ffilab.classroom.DashboardView.TaskColumn;

/**
 * The grades export: one row per student, and per task a column with passed, failed or not tried and a column with
 * when (the first pass, else the last attempt), in UTC.
 */
final class GradesCsv {

	static final String PASSED = "passed";

	static final String FAILED = "failed";

	static final String NOT_TRIED = "not tried";

	private GradesCsv() {
	}

	static String write(List<TaskColumn> tasks, List<Student> students, List<TaskProgress> progress) {
		Map<String, TaskProgress> cells = progress.stream()
			.collect(Collectors.toMap((p) -> key(p.studentId(), p.taskId()), Function.identity()));
		StringBuilder csv = new StringBuilder();
		List<String> header = new ArrayList<>(List.of("username", "name"));
		for (TaskColumn task : tasks) {
			header.add(task.id());
			header.add(task.id() + " at");
		}
		csv.append(Csv.row(header));
		for (Student student : students) {
			List<String> row = new ArrayList<>(List.of(student.username(), student.name()));
			for (TaskColumn task : tasks) {
				TaskProgress cell = cells.get(key(student.id(), task.id()));
				row.add(grade(cell));
				row.add((cell == null) ? "" : timestamp((cell.best() == Outcome.PASS) ? cell.firstPassedAt()
						: cell.lastRunAt()));
			}
			csv.append(Csv.row(row));
		}
		return csv.toString();
	}

	/** A run that never got a verdict (the lab failed) still counts as tried and not passed. */
	private static String grade(TaskProgress cell) {
		if (cell == null) {
			return NOT_TRIED;
		}
		return (cell.best() == Outcome.PASS) ? PASSED : FAILED;
	}

	private static String timestamp(Instant at) {
		return (at != null) ? at.truncatedTo(ChronoUnit.SECONDS).toString() : "";
	}

	private static String key(long studentId, String taskId) {
		return studentId + "/" + taskId;
	}

}
