package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictMergeTests {

	/** Task 10's files: the student's ctypes binding and the task's C library beside it. */
	private final StudentFiles files = new StudentFiles(List.of("greeting.py"), List.of("greeting.c"));

	private static final Frame ASAN_FREE = new Frame("/usr/lib/llvm-19/lib/clang/19/lib/linux/libclang_rt.asan-x86_64.so",
			null, "free", false);

	private static final Frame FREE_GREETING = new Frame("greeting.c", 49, "free_greeting", false);

	private static final Frame LIBFFI = new Frame("/lib/x86_64-linux-gnu/libffi.so.8", null, null, false);

	@Test
	void aCheckFindingOnTheStudentsLineStandsForTheToolsNativeOnlyCopiesOfTheError() {
		// What the check recorded: the second free_greeting in greet(), line 30 of greeting.py.
		Finding checks = new Finding("asan", "double-free", "free_greeting() frees a greeting that was already freed",
				List.of(new Frame("greeting.py", 30, "greet", false), new Frame("greeting.c", 49, "free_greeting", false)));
		// What the parsers read in the reports: one double free per greet() call, no frame in greeting.py.
		List<Finding> parsed = List.of(
				new Finding("asan", "double-free", "attempting double-free on 0x50300004d440; 30-byte region",
						List.of(ASAN_FREE, FREE_GREETING, LIBFFI)),
				new Finding("asan", "double-free", "attempting double-free on 0x5040000ffed0; 37-byte region",
						List.of(ASAN_FREE, FREE_GREETING, LIBFFI)),
				new Finding("valgrind", "double-free", "Invalid free() / delete / delete[] / realloc()",
						List.of(new Frame("./coregrind/m_replacemalloc/vg_replace_malloc.c", 989, "free", false),
								FREE_GREETING, LIBFFI)));

		List<Finding> merged = VerdictMerge.findings(List.of(checks), parsed, this.files);

		// Valgrind's is another tool's view: it stays (the check did not place one for Valgrind).
		assertThat(merged).extracting(Finding::tool).containsExactly("asan", "valgrind");
		assertThat(merged.getFirst().frames().getFirst()).isEqualTo(new Frame("greeting.py", 30, "greet", true));
		assertThat(merged.getFirst().frames().get(1).student()).isFalse();
	}

	@Test
	void aReportFindingWithoutAnyFrameInTheTasksFilesIsTheCheckFindingsError() {
		// A use after free read by ctypes' string_at: strlen, _ctypes, libffi, the interpreter, libc.
		Finding checks = new Finding("asan", "use-after-free", "ctypes.string_at() reads a greeting after free_greeting freed it",
				List.of(new Frame("greeting.py", 26, "greet", false), FREE_GREETING));
		Finding parsed = new Finding("asan", "use-after-free", "heap-use-after-free on address 0x50300004d510",
				List.of(new Frame(ASAN_FREE.file(), null, "strlen", false),
						new Frame("/usr/lib/python3.13/lib-dynload/_ctypes.cpython-313-x86_64-linux-gnu.so", null, null, false),
						new Frame("csu/../sysdeps/nptl/libc_start_call_main.h", 58, "__libc_start_call_main", false)));

		assertThat(VerdictMerge.findings(List.of(checks), List.of(parsed), this.files)).singleElement()
			.extracting(Finding::message)
			.isEqualTo("ctypes.string_at() reads a greeting after free_greeting freed it");
	}

	@Test
	void aCheckLeakWithoutASizeTakesTheBytesOfTheLeaksItStandsFor() {
		Finding checks = new Finding("valgrind", "leak", "the greeting that make_greeting() returns here is never freed",
				List.of(new Frame("/work/greeting.py", 22, "greet", false), new Frame("greeting.c", 36, "make_greeting", false)));
		Frame malloc = new Frame("./coregrind/m_replacemalloc/vg_replace_malloc.c", 446, "malloc", false);
		Frame makeGreeting = new Frame("greeting.c", 36, "make_greeting", false);
		List<Finding> parsed = List.of(
				new Finding("valgrind", "leak", "30 bytes in 1 blocks are definitely lost", List.of(malloc, makeGreeting), 30L),
				new Finding("valgrind", "leak", "1,116 bytes in 4 blocks are definitely lost", List.of(malloc, makeGreeting),
						1116L));

		assertThat(VerdictMerge.findings(List.of(checks), parsed, this.files)).singleElement().satisfies((leak) -> {
			assertThat(leak.bytes()).isEqualTo(1146L);
			assertThat(leak.frames().getFirst()).isEqualTo(new Frame("greeting.py", 22, "greet", true));
		});
	}

	@Test
	void otherErrorsOfTheSameKindStay() {
		Finding checks = new Finding("asan", "double-free", "free_greeting() frees a greeting that was already freed",
				List.of(new Frame("greeting.py", 30, "greet", false), FREE_GREETING));
		// Elsewhere in the task's C code, on another line of the student's file, another tool.
		Finding inTheLibrary = new Finding("asan", "double-free", "in reset_greeting",
				List.of(ASAN_FREE, new Frame("greeting.c", 61, "reset_greeting", false)));
		Finding onAnotherLine = new Finding("asan", "double-free", "from line 41",
				List.of(ASAN_FREE, FREE_GREETING, new Frame("greeting.py", 41, "other", true)));
		Finding anotherKind = new Finding("asan", "invalid-free", "bad-free", List.of(ASAN_FREE, FREE_GREETING));
		// A check's finding without a student frame only stands for one at its own place.
		Finding unplaced = new Finding("lsan", "leak", "16 bytes", List.of(new Frame("greeting.c", 36, "make_greeting", false)));
		Finding nativeLeak = new Finding("lsan", "leak", "interpreter", List.of(new Frame("/usr/bin/python3.13", null, "x", false)));

		List<Finding> merged = VerdictMerge.findings(List.of(checks, unplaced),
				List.of(inTheLibrary, onAnotherLine, anotherKind, nativeLeak), this.files);

		assertThat(merged).extracting(Finding::message)
			.containsExactly(checks.message(), unplaced.message(), "in reset_greeting", "from line 41", "bad-free",
					"interpreter");
	}

}
