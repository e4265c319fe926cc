package org.ffilab.task;

import java.util.Map;

/**
 * A broken variant of a track's solution that the grader must fail.
 *
 * @param name the folder name
 * @param files the editable files that differ from the solution
 * @param expectedJson the verdict it must get (see docs/architecture.md)
 */
public record Hazard(String name, Map<String, String> files, String expectedJson) {

}
