package org.ffilab.classroom;

import java.time.Instant;
import java.util.List;

import org.ffilab.classroom.DashboardView.Student;
import org.ffilab.classroom.DashboardView.TaskColumn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GradesCsvTests {

	private static final Instant T0 = Instant.parse("2026-05-04T10:00:00.123456Z");

	@Test
	void oneRowPerStudentAndTwoColumnsPerTask() {
		List<TaskColumn> tasks = List.of(new TaskColumn("01-a", 1, "A"), new TaskColumn("02-b", 2, "B"),
				new TaskColumn("03-c", 3, "C"));
		List<Student> students = List.of(new Student(1, "ada", "Ada Lovelace"),
				new Student(2, "eve", "=cmd|' /C calc'!A0"));
		List<TaskProgress> progress = List.of(
				TaskProgress.first(1, "01-a", Outcome.FAIL, "r1", T0).after(Outcome.PASS, "r2", T0.plusSeconds(60))
					.after(Outcome.FAIL, "r3", T0.plusSeconds(120)),
				TaskProgress.first(1, "02-b", Outcome.ERROR, "r4", T0.plusSeconds(5)),
				TaskProgress.first(2, "02-b", Outcome.FAIL, "r5", T0.plusSeconds(7)));

		String csv = GradesCsv.write(tasks, students, progress);

		assertThat(csv.split("\r\n")).containsExactly(
				"username,name,01-a,01-a at,02-b,02-b at,03-c,03-c at",
				"ada,Ada Lovelace,passed,2026-05-04T10:01:00Z,failed,2026-05-04T10:00:05Z,not tried,",
				"eve,'=cmd|' /C calc'!A0,not tried,,failed,2026-05-04T10:00:07Z,not tried,");
	}

}
