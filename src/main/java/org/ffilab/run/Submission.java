package org.ffilab.run;

import java.util.Map;

/** The body of POST /api/runs: which track of which task, and the student's editable files. */
public record Submission(String task, String track, Map<String, String> files) {

}
