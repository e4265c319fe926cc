package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.firstStudentFrame;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class SanitizerReportParserTests {

	private final SanitizerReportParser parser = new SanitizerReportParser();

	@Test
	void heapUseAfterFreeNamesTheAccessTheFreeAndTheAllocation() {
		Finding finding = only(parse(this.parser, "asan/heap-use-after-free.txt", "uaf.c"));
		assertThat(finding.tool()).isEqualTo("asan");
		assertThat(finding.kind()).isEqualTo("use-after-free");
		assertThat(finding.frames()).hasSize(5);
		assertThat(finding.frames().subList(0, 3)).containsExactly(frame("uaf.c", 12, "bad", true),
				frame("uaf.c", 17, "main", true),
				frame("csu/../sysdeps/nptl/libc_start_call_main.h", 58, "__libc_start_call_main", false));
		assertThat(finding.frames().get(4)).isEqualTo(frame("uaf", null, "_start", false));
		assertThat(finding.message()).startsWith("heap-use-after-free on address 0x502000000014; READ of size 4 by thread T0")
			.contains("4 bytes inside of 16-byte region")
			.contains("freed by thread T0 in bad (uaf.c:11)")
			.contains("previously allocated by thread T0 in make (uaf.c:5)")
			.doesNotContain("/work/", " pc 0x");
	}

	@Test
	void doubleFreeFromClangAndFromGcc() {
		Finding clang = only(parse(this.parser, "asan/double-free.txt", "dfree.c"));
		Finding gcc = only(parse(this.parser, "asan/double-free-gcc.txt", "dfree.c"));
		for (Finding finding : List.of(clang, gcc)) {
			assertThat(finding.kind()).isEqualTo("double-free");
			assertThat(finding.frames().getFirst().function()).isEqualTo("free");
			assertThat(finding.frames().getFirst().student()).isFalse();
			assertThat(firstStudentFrame(finding)).isEqualTo(frame("dfree.c", 11, "release", true));
			assertThat(finding.message()).contains("freed by thread T0 in release (dfree.c:11)")
				.contains("previously allocated by thread T0 in copy_name (dfree.c:5)");
		}
		// gcc's shared runtime names its own source, relative to where it was built: never the student's.
		assertThat(gcc.frames().getFirst().file()).isEqualTo("../../../../src/libsanitizer/asan/asan_malloc_linux.cpp");
	}

	@Test
	void freeOfAStackAddressIsAnInvalidFree() {
		Finding finding = only(parse(this.parser, "asan/invalid-free.txt", "badfree.c"));
		assertThat(finding.kind()).isEqualTo("invalid-free");
		assertThat(finding.message()).startsWith("attempting free on address which was not malloc()-ed")
			.contains("is located in stack of thread T0");
		assertThat(finding.frames()).hasSize(6);
		assertThat(firstStudentFrame(finding)).isEqualTo(frame("badfree.c", 7, "point_free", true));
	}

	@Test
	void overflowsOfHeapAndStack() {
		Finding heap = only(parse(this.parser, "asan/heap-buffer-overflow.txt", "overflow.c"));
		assertThat(heap.kind()).isEqualTo("heap-buffer-overflow");
		assertThat(heap.message()).contains("WRITE of size 1 by thread T0").contains("0 bytes after 16-byte region");
		assertThat(heap.frames().getFirst()).isEqualTo(frame("overflow.c", 6, "fill", true));
		Finding stack = only(parse(this.parser, "asan/stack-buffer-overflow.txt", "stackov.c"));
		assertThat(stack.kind()).isEqualTo("stack-buffer-overflow");
		assertThat(stack.message()).contains("READ of size 4");
		assertThat(stack.frames().getFirst()).isEqualTo(frame("stackov.c", 6, "sum", true));
	}

	@Test
	void segvIsACrashWithTheFaultingLine() {
		Finding finding = only(parse(this.parser, "asan/segv.txt", "segv.c"));
		assertThat(finding.kind()).isEqualTo("crash");
		assertThat(finding.message()).startsWith("SEGV on unknown address 0x000000000018;")
			.contains("The signal is caused by a READ memory access")
			.doesNotContain("(pc ");
		assertThat(finding.frames().subList(0, 2)).containsExactly(frame("segv.c", 7, "last_value", true),
				frame("segv.c", 17, "main", true));
	}

	@Test
	void pythonExtensionDoubleFreeOnAThreadKeepsTheInterpreterFramesFolded() {
		// Noisy: ctypes, libffi and 11 interpreter frames around one frame of the student's library.
		Finding finding = only(parse(this.parser, "asan/python-double-free-in-thread.txt", "buf.c"));
		assertThat(finding.kind()).isEqualTo("double-free");
		assertThat(finding.message()).contains("in thread T1").contains("freed by thread T0 in free_greeting (buf.c:18)");
		assertThat(finding.frames()).hasSize(15);
		assertThat(finding.frames().stream().filter(Frame::student)).containsExactly(frame("buf.c", 18, "free_greeting", true));
		assertThat(finding.frames().get(2)).isEqualTo(frame("/lib/x86_64-linux-gnu/libffi.so.8", null, null, false));
		assertThat(finding.frames().get(7)).isEqualTo(frame("/usr/bin/python3.13", null, "_PyObject_MakeTpCall", false));
	}

	@Test
	void pythonBufferOverrun() {
		Finding finding = only(parse(this.parser, "asan/python-heap-buffer-overflow.txt", "buf.c"));
		assertThat(finding.kind()).isEqualTo("heap-buffer-overflow");
		assertThat(finding.message()).contains("READ of size 8").contains("0 bytes after 32-byte region");
		assertThat(finding.frames()).hasSize(19);
		assertThat(finding.frames().getFirst()).isEqualTo(frame("buf.c", 7, "scale_into", true));
	}

	@Test
	void leaksAreOneFindingEachWithTheirBytes() {
		List<Finding> leaks = parse(this.parser, "lsan/leaks.txt", "leak.c").findings();
		assertThat(leaks).extracting(Finding::tool).containsOnly("lsan");
		assertThat(leaks).extracting(Finding::kind).containsOnly("leak");
		assertThat(leaks).extracting(Finding::bytes).containsExactly(16L, 5L, 16L, 10L);
		assertThat(leaks).extracting(Finding::message)
			.containsExactly("Direct leak of 16 bytes in 1 object", "Direct leak of 5 bytes in 1 object",
					"Indirect leak of 16 bytes in 1 object", "Indirect leak of 10 bytes in 2 objects");
		assertThat(firstStudentFrame(leaks.get(1))).isEqualTo(frame("leak.c", 8, "push", true));
	}

	@Test
	void theInterpretersOwnLeaksAreDropped() {
		// Python leaks 170 kB at exit by design; only the leak through the task's library is news.
		FindingSink sink = parse(this.parser, "lsan/python-interpreter-leaks.txt", List.of("use_buf2.py"),
				List.of("buf.c"));
		Finding leak = only(sink);
		assertThat(leak.bytes()).isEqualTo(22L);
		assertThat(leak.message()).isEqualTo("Direct leak of 22 bytes in 2 objects");
		assertThat(leak.frames().get(1)).isEqualTo(frame("buf.c", 11, "make_greeting", false));
		assertThat(sink.dropped()).isEqualTo(2);
	}

	@Test
	void threadSanitizerDataRace() {
		Finding race = only(parse(this.parser, "tsan/data-race.txt", "race.c"));
		assertThat(race.tool()).isEqualTo("tsan");
		assertThat(race.kind()).isEqualTo("data-race");
		assertThat(race.frames()).containsExactly(frame("race.c", 9, "work", true));
		assertThat(race.message()).isEqualTo("data race; Write of size 8 by thread T2; Location is global 'counter' of size 8;"
				+ " Previous write of size 8 by thread T1 in work (race.c:9)");
	}

	@Test
	void threadSanitizerRaceOnAHeapBlock() {
		Finding race = only(parse(this.parser, "tsan/heap-race.txt", "race2.c"));
		assertThat(race.frames()).containsExactly(frame("race2.c", 11, "deposit", true),
				frame("race2.c", 24, "client", true));
		assertThat(race.message()).contains("Location is heap block of size 16 allocated by main thread");
	}

	@Test
	void raceReportsInterleavedWithTheProgramsOutput() {
		// Noisy: a thread printing "tick N" wrote into the middle of the reports, once mid-line.
		List<Finding> races = parse(this.parser, "tsan/interleaved-output.txt", "race3.c").findings();
		assertThat(races).hasSize(4).extracting(Finding::kind).containsOnly("data-race");
		assertThat(races).extracting(Finding::message).noneMatch((message) -> message.contains("tick"));
		assertThat(races.get(0).message()).startsWith("data race; Read of size 4 by main thread;")
			.contains("Previous write of size 4 by thread T2 in producer (race3.c:20)");
		assertThat(races.get(0).frames()).containsExactly(frame("race3.c", 36, "main", true));
		assertThat(races.get(1).frames()).extracting(Frame::function).containsExactly("vprintf", "printf", "main");
		assertThat(races.get(3).frames()).containsExactly(frame("race3.c", 44, "main", true));
	}

	@Test
	void undefinedBehaviorWithoutStacksPointsAtTheLine() {
		List<Finding> errors = parse(this.parser, "ubsan/runtime-errors.txt", "ub.c").findings();
		assertThat(errors).extracting(Finding::tool).containsOnly("ubsan");
		assertThat(errors).extracting(Finding::kind).containsOnly("undefined-behavior");
		assertThat(errors).extracting(Finding::message)
			.containsExactly("signed integer overflow: 214748364 * 1000 cannot be represented in type 'int'",
					"shift exponent 40 is too large for 32-bit type 'int'",
					"load of misaligned address 0x7ffdf4b5d8f1 for type 'const int', which requires 4 byte alignment",
					"index 5 out of bounds for type 'int[4]'");
		assertThat(errors.getFirst().frames()).containsExactly(frame("ub.c", 6, null, true));
	}

	@Test
	void undefinedBehaviorWithStacks() {
		List<Finding> errors = parse(this.parser, "ubsan/runtime-errors-with-stacks.txt", "ub.c").findings();
		assertThat(errors).hasSize(4);
		assertThat(errors.getFirst().frames().subList(0, 2)).containsExactly(frame("ub.c", 6, "scale", true),
				frame("ub.c", 20, "main", true));
		assertThat(errors.get(3).frames().getFirst()).isEqualTo(frame("ub.c", 25, "main", true));
	}

	@Test
	void aReportCutOffMidStackKeepsWhatCameBefore() {
		String text = GoldenReports.read("asan/heap-use-after-free.txt");
		String cut = text.substring(0, text.indexOf("    #2 "));
		FindingSink sink = new FindingSink(new StudentFiles(List.of("uaf.c"), List.of()));
		this.parser.parse(cut, sink);
		Finding finding = only(sink);
		assertThat(finding.kind()).isEqualTo("use-after-free");
		assertThat(finding.frames()).containsExactly(frame("uaf.c", 12, "bad", true), frame("uaf.c", 17, "main", true));
	}

	@Test
	void aReportWithoutItsStackFallsBackToTheSummaryLine() {
		FindingSink sink = new FindingSink(new StudentFiles(List.of("x.c"), List.of()));
		this.parser.parse("""
				==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1 at pc 0x2 bp 0x3 sp 0x4
				SUMMARY: AddressSanitizer: heap-buffer-overflow /work/x.c:6:65 in bad
				""", sink);
		assertThat(only(sink).frames()).containsExactly(frame("x.c", 6, "bad", true));
	}

	@Test
	void programOutputAroundAndInsideAReportIsNotPartOfIt() {
		FindingSink sink = new FindingSink(new StudentFiles(List.of("x.c"), List.of()));
		this.parser.parse("""
				#1 round of 3
				tick 12==9==ERROR: AddressSanitizer: attempting double-free on 0x502000000010 in thread T0:
				#2 round of 3
				    #0 0x7f0fc1e618f8 in free (/work/x+0xcbeea) (BuildId: 2f37)
				    #1 0x564513c82201 in release /work/x.c:11:2
				""", sink);
		Finding finding = only(sink);
		assertThat(finding.kind()).isEqualTo("double-free");
		assertThat(finding.frames()).containsExactly(frame("x", null, "free", false), frame("x.c", 11, "release", true));
	}

	@Test
	void framesInBothForms() {
		assertThat(SanitizerReportParser.frame("    #0 0x55ff2d4859ad in bad /work/uaf.c:12:9"))
			.isEqualTo(frame("/work/uaf.c", 12, "bad", false));
		assertThat(SanitizerReportParser.frame("    #7 0x4 in operator new(unsigned long) (/work/prog+0x12) (BuildId: ab12)"))
			.isEqualTo(frame("/work/prog", null, "operator new(unsigned long)", false));
		assertThat(SanitizerReportParser.frame("    #1 main /work/race.c:21:3 (race+0xe658f) (BuildId: e3b7)"))
			.isEqualTo(frame("/work/race.c", 21, "main", false));
		assertThat(SanitizerReportParser.frame("    #0 pthread_create <null> (race+0x62d85)"))
			.isEqualTo(frame("race", null, "pthread_create", false));
		assertThat(SanitizerReportParser.frame("    #3 0x7fff4948af4f  ([stack]+0x1ff4f)"))
			.isEqualTo(frame("[stack]", null, null, false));
		assertThat(SanitizerReportParser.frame("not a frame")).isNull();
	}

	private static Finding only(FindingSink sink) {
		assertThat(sink.findings()).hasSize(1);
		return sink.findings().getFirst();
	}

}
