package org.ffilab.classroom;

import java.nio.charset.StandardCharsets;

import org.ffilab.account.LabUser;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The dashboard's data for the class page (its script loads it, then follows /topic/classes/{id}) and the grades
 * export. Both for the class's teachers and admins; anyone else gets 404, as if there were no such class.
 */
@RestController
class DashboardController {

	/** Spreadsheets read a CSV as UTF-8 (and show names with accents right) only when it starts with one. */
	private static final String BYTE_ORDER_MARK = "\uFEFF";

	private final Classrooms classrooms;

	private final ClassDashboard dashboard;

	DashboardController(Classrooms classrooms, ClassDashboard dashboard) {
		this.classrooms = classrooms;
		this.dashboard = dashboard;
	}

	@GetMapping("/api/classes/{id}/dashboard")
	DashboardView dashboard(@PathVariable long id, LabUser user) {
		return this.dashboard.snapshot(taught(id, user));
	}

	@GetMapping("/classes/{id}/grades.csv")
	ResponseEntity<byte[]> grades(@PathVariable long id, LabUser user) {
		Classroom classroom = taught(id, user);
		byte[] body = (BYTE_ORDER_MARK + this.dashboard.gradesCsv(classroom)).getBytes(StandardCharsets.UTF_8);
		return ResponseEntity.ok()
			.contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("grades-class-" + id + ".csv").build().toString())
			.body(body);
	}

	private Classroom taught(long id, LabUser user) {
		return this.classrooms.findTaught(id, user)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no class " + id));
	}

}
