package org.ffilab.grading;

import java.util.List;
import java.util.Locale;

/**
 * The sanitizers' own names for what went wrong (the words after "AddressSanitizer:" in the ERROR
 * or SUMMARY line) mapped onto our finding kinds.
 */
final class SanitizerKinds {

	private static final List<String> USE_AFTER_FREE = List.of("heap-use-after-free", "use-after-poison",
			"stack-use-after-return", "stack-use-after-scope");

	private static final List<String> INVALID_FREE = List.of("bad-free", "alloc-dealloc-mismatch",
			"new-delete-type-mismatch", "invalid-free", "attempting free on address", "free on address which was not");

	private static final List<String> STACK_OVERFLOW = List.of("stack-buffer-overflow", "stack-buffer-underflow",
			"dynamic-stack-buffer-overflow");

	/** The program was killed or could not go on: a signal, or an allocation the allocator refused. */
	private static final List<String> CRASH = List.of("segv", "bus", "fpe", "ill", "abrt", "stack-overflow",
			"deadly signal", "allocation-size-too-big", "calloc-overflow", "requested allocation size",
			"out of memory", "out-of-memory", "rss-limit-exceeded", "pvalloc-overflow", "invalid-allocation-alignment",
			"malloc-limit");

	/** Undefined behaviour that is neither a bad access nor a bad free (overlapping copies, misused mutexes, ...). */
	private static final List<String> UNDEFINED = List.of("undefined-behavior", "runtime error", "param-overlap",
			"negative-size-param", "unlock of", "double lock", "destroy of a locked", "invalid mutex",
			"read lock of a write locked", "read unlock of a write locked", "signal-unsafe call",
			"signal handler spoils errno", "mutex held in the wrong context");

	private SanitizerKinds() {
	}

	/**
	 * @param description the sanitizer's words, e.g. "attempting double-free on 0x60200..." or
	 * "heap-use-after-free /work/x.c:6:65 in bad"
	 * @param write whether the bad access was a write, if the report said
	 * @param fatal whether the sanitizer stopped the program (an ERROR, not a WARNING)
	 */
	static String of(String description, boolean write, boolean fatal) {
		String d = description.strip().toLowerCase(Locale.ROOT);
		if (d.startsWith("attempting double-free") || d.startsWith("double-free")) {
			return FindingKind.DOUBLE_FREE;
		}
		if (startsWithAny(d, INVALID_FREE)) {
			return FindingKind.INVALID_FREE;
		}
		if (startsWithAny(d, USE_AFTER_FREE)) {
			return FindingKind.USE_AFTER_FREE;
		}
		if (d.startsWith("heap-buffer-overflow")) {
			return FindingKind.HEAP_BUFFER_OVERFLOW;
		}
		if (startsWithAny(d, STACK_OVERFLOW)) {
			return FindingKind.STACK_BUFFER_OVERFLOW;
		}
		if (d.startsWith("data race")) {
			return FindingKind.DATA_RACE;
		}
		if (d.startsWith("lock-order-inversion")) {
			return FindingKind.DEADLOCK;
		}
		if (d.startsWith("thread leak") || d.startsWith("detected memory leaks")) {
			return FindingKind.LEAK;
		}
		if (startsWithAny(d, CRASH)) {
			return FindingKind.CRASH;
		}
		if (UNDEFINED.stream().anyMatch(d::contains)) {
			return FindingKind.UNDEFINED_BEHAVIOR;
		}
		// global-buffer-overflow, container-overflow, unknown-crash, ...: a bad access of some sort.
		return fatal ? FindingKind.access(write) : FindingKind.UNDEFINED_BEHAVIOR;
	}

	/** "AddressSanitizer" -> "asan", the tool name our verdicts show. */
	static String tool(String sanitizer) {
		return switch (sanitizer) {
			case "AddressSanitizer" -> "asan";
			case "LeakSanitizer" -> "lsan";
			case "ThreadSanitizer" -> "tsan";
			case "UndefinedBehaviorSanitizer" -> "ubsan";
			case "MemorySanitizer" -> "msan";
			case "HWAddressSanitizer" -> "hwasan";
			default -> sanitizer.toLowerCase(Locale.ROOT);
		};
	}

	private static boolean startsWithAny(String text, List<String> prefixes) {
		return prefixes.stream().anyMatch(text::startsWith);
	}

}
