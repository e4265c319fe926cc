package org.ffilab.task;

import java.nio.file.Path;

/** A task folder is broken: the message names the file and the problem, so start-up can say so. */
public class ContentException extends RuntimeException {

	public ContentException(Path file, String problem) {
		super(file + ": " + problem);
	}

	public ContentException(Path file, String problem, Throwable cause) {
		super(file + ": " + problem, cause);
	}

}
