package org.ffilab.studentwork;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import org.ffilab.account.LabUser;
import org.ffilab.run.ApiException;
import org.ffilab.run.Submission;
import org.ffilab.run.SubmissionValidator;
import org.ffilab.run.SubmissionValidator.ValidSubmission;
import org.ffilab.task.TaskCatalog;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * A student's drafts: only their own, only of tasks and tracks the course has, held to the same rules as a
 * submission (the track's editable files, plain names, 256 KiB together).
 */
@Service
public class Drafts {

	private final DraftRepository drafts;

	private final SubmissionValidator validator;

	private final TaskCatalog catalog;

	Drafts(DraftRepository drafts, SubmissionValidator validator, TaskCatalog catalog) {
		this.drafts = drafts;
		this.validator = validator;
		this.catalog = catalog;
	}

	public Optional<Draft> find(LabUser student, String taskId, String trackId) {
		requireTrack(taskId, trackId);
		return this.drafts.find(student.id(), taskId, trackId);
	}

	public Draft save(LabUser student, String taskId, String trackId, Map<String, String> files) {
		ValidSubmission valid = this.validator.validate(new Submission(taskId, trackId, files));
		// The databases keep microseconds: the time returned is the time stored.
		Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
		this.drafts.save(student.id(), taskId, trackId, valid.files(), now);
		return new Draft(taskId, trackId, valid.files(), now);
	}

	private void requireTrack(String taskId, String trackId) {
		if (this.catalog.find(taskId).flatMap((task) -> task.track(trackId)).isEmpty()) {
			throw new ApiException(HttpStatus.NOT_FOUND, "There is no track '" + trackId + "' of task '" + taskId + "'");
		}
	}

}
