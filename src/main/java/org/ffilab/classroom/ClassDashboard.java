package org.ffilab.classroom;

import java.text.Collator;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.ffilab.account.Accounts;
import org.ffilab.classroom.DashboardView.Cell;
import org.ffilab.classroom.DashboardView.Student;
import org.ffilab.classroom.DashboardView.TaskColumn;
import org.ffilab.task.TaskCatalog;

import org.springframework.stereotype.Service;

/** A class's dashboard and grades, read from the read model the projection keeps. */
@Service
class ClassDashboard {

	/** How many runs the feed starts with; the page keeps what arrives live on top. */
	static final int FEED_LENGTH = 50;

	private final DashboardRepository dashboard;

	private final Classrooms classrooms;

	private final Accounts accounts;

	private final TaskCatalog catalog;

	ClassDashboard(DashboardRepository dashboard, Classrooms classrooms, Accounts accounts, TaskCatalog catalog) {
		this.dashboard = dashboard;
		this.classrooms = classrooms;
		this.accounts = accounts;
		this.catalog = catalog;
	}

	DashboardView snapshot(Classroom classroom) {
		long id = classroom.id();
		return new DashboardView(id, classroom.name(), tasks(), students(id),
				this.dashboard.progressOfClass(id).stream().map(Cell::of).toList(),
				this.dashboard.findingsOfClass(id), this.dashboard.metricsOfClass(id),
				this.dashboard.feed(id, FEED_LENGTH));
	}

	String gradesCsv(Classroom classroom) {
		return GradesCsv.write(tasks(), students(classroom.id()),
				this.dashboard.progressOfClass(classroom.id()));
	}

	/** The course's tasks, in order: the matrix's columns. */
	List<TaskColumn> tasks() {
		return this.catalog.all().stream().map((task) -> new TaskColumn(task.id(), task.number(), task.title())).toList();
	}

	/** The class's students by name, as people look them up. */
	List<Student> students(long classId) {
		Collator byName = Collator.getInstance(Locale.ROOT);
		byName.setStrength(Collator.SECONDARY);
		return this.classrooms.studentIds(classId)
			.stream()
			.flatMap((studentId) -> this.accounts.find(studentId).stream())
			.map((user) -> new Student(user.id(), user.username(), user.displayName()))
			.sorted(Comparator.comparing(Student::name, byName).thenComparing(Student::username))
			.toList();
	}

}
