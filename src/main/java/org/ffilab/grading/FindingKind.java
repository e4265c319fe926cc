package org.ffilab.grading;

import java.util.Set;

/**
 * The small, stable vocabulary of finding kinds (docs/architecture.md, "Finding kinds"). Hazards'
 * expected.json and the teacher's statistics name these, so every parser maps its tool's own words
 * onto them, and the same bug gets the same kind whichever tool saw it.
 */
final class FindingKind {

	static final String DOUBLE_FREE = "double-free";

	static final String INVALID_FREE = "invalid-free";

	static final String USE_AFTER_FREE = "use-after-free";

	static final String HEAP_BUFFER_OVERFLOW = "heap-buffer-overflow";

	static final String STACK_BUFFER_OVERFLOW = "stack-buffer-overflow";

	static final String LEAK = "leak";

	static final String INVALID_READ = "invalid-read";

	static final String INVALID_WRITE = "invalid-write";

	static final String DATA_RACE = "data-race";

	static final String DEADLOCK = "deadlock";

	static final String UNDEFINED_BEHAVIOR = "undefined-behavior";

	static final String CGO_POINTER = "cgo-pointer";

	static final String JNI_EXCEPTION_PENDING = "jni-exception-pending";

	static final String JNI_WRONG_THREAD = "jni-wrong-thread";

	static final String JNI_MISUSE = "jni-misuse";

	static final String CRASH = "crash";

	static final Set<String> ALL = Set.of(DOUBLE_FREE, INVALID_FREE, USE_AFTER_FREE, HEAP_BUFFER_OVERFLOW,
			STACK_BUFFER_OVERFLOW, LEAK, INVALID_READ, INVALID_WRITE, DATA_RACE, DEADLOCK, UNDEFINED_BEHAVIOR, CGO_POINTER,
			JNI_EXCEPTION_PENDING, JNI_WRONG_THREAD, JNI_MISUSE, CRASH);

	private FindingKind() {
	}

	/** An access the tool did not classify further: a read or a write of memory it may not touch. */
	static String access(boolean write) {
		return write ? INVALID_WRITE : INVALID_READ;
	}

}
