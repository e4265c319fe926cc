package org.ffilab.studentwork;

import java.time.Instant;
import java.util.Map;

/**
 * The editor's files of a task and track as the student last left them, kept on the server so another browser or a
 * lost connection loses nothing.
 *
 * @param savedAt when the server stored it (its clock)
 */
public record Draft(String task, String track, Map<String, String> files, Instant savedAt) {

}
