package org.ffilab.classroom;

import java.time.Instant;

/** A class: students join it with its code and its teachers watch their work. */
public record Classroom(long id, String name, String joinCode, Instant createdAt) {

}
