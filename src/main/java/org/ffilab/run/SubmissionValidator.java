package org.ffilab.run;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ffilab.task.Task;
import org.ffilab.task.TaskCatalog;
import org.ffilab.task.Track;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a submission before anything is stored: a known task and track, only the track's editable
 * files (plain names, no paths), and a bounded size. Editable files left out keep their starter text.
 */
@Component
public class SubmissionValidator {

	/** The most UTF-8 bytes the editable files may have together; drafts are held to it too. */
	public static final int MAX_BYTES = 256 * 1024;

	private final TaskCatalog catalog;

	SubmissionValidator(TaskCatalog catalog) {
		this.catalog = catalog;
	}

	public ValidSubmission validate(Submission submission) {
		if (submission == null || submission.task() == null || submission.track() == null) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "A submission names its task and track");
		}
		Task task = this.catalog.find(submission.task())
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "There is no task '" + submission.task() + "'"));
		Track track = task.track(submission.track())
			.orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
					"Task " + task.id() + " has no track '" + submission.track() + "' (tracks: "
							+ String.join(", ", task.tracks().keySet()) + ")"));
		if (submission.files() == null || submission.files().isEmpty()) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "The submission has no files");
		}
		long bytes = 0;
		for (Map.Entry<String, String> file : submission.files().entrySet()) {
			String name = file.getKey();
			if (name.contains("/") || name.contains("\\") || name.startsWith(".")) {
				throw new ApiException(HttpStatus.BAD_REQUEST,
						"'" + name + "' must be a plain file name, without a folder");
			}
			if (!track.isEditable(name)) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "'" + name
						+ "' is not an editable file of this track (editable: " + String.join(", ", track.editable()) + ")");
			}
			if (file.getValue() == null) {
				throw new ApiException(HttpStatus.BAD_REQUEST, "'" + name + "' has no content");
			}
			bytes += file.getValue().getBytes(StandardCharsets.UTF_8).length;
		}
		if (bytes > MAX_BYTES) {
			throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "The submission is " + (bytes / 1024)
					+ " KiB; the limit is " + (MAX_BYTES / 1024) + " KiB");
		}
		Map<String, String> files = new LinkedHashMap<>();
		for (String name : track.editable()) {
			files.put(name, submission.files().getOrDefault(name, track.starter().get(name)));
		}
		return new ValidSubmission(task, track, files);
	}

	public record ValidSubmission(Task task, Track track, Map<String, String> files) {
	}

}
