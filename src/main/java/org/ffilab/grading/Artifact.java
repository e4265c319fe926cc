package org.ffilab.grading;

/**
 * A file one stage of a run handed over for the next (see {@link Handover}).
 *
 * @param path its path under the work directory, checked to be relative and plain
 * @param data its bytes
 * @param executable whether it was executable (it is then written with mode 0755, else 0644)
 */
public record Artifact(String path, byte[] data, boolean executable) {

}
