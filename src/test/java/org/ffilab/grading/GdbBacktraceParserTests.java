package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class GdbBacktraceParserTests {

	private final GdbBacktraceParser parser = new GdbBacktraceParser();

	@Test
	void segfaultWithBacktrace() {
		Finding finding = only(parse(this.parser, "gdb/segv.txt", "segv.c"));
		assertThat(finding.tool()).isEqualTo("gdb");
		assertThat(finding.kind()).isEqualTo("crash");
		assertThat(finding.message()).isEqualTo("The program was killed by SIGSEGV (Segmentation fault)");
		assertThat(finding.frames()).containsExactly(frame("segv.c", 7, "last_value", true),
				frame("segv.c", 17, "main", true));
	}

	@Test
	void allThreadsBacktracesKeepTheSignalledThreads() {
		Finding finding = only(parse(this.parser, "gdb/threads.txt", "tcrash.c"));
		assertThat(finding.message()).endsWith("in thread 3");
		assertThat(finding.frames()).containsExactly(
				frame("../sysdeps/x86_64/multiarch/strcpy-evex.S", 233, "__strcpy_evex", false),
				frame("tcrash.c", 9, "copy_name", true), frame("tcrash.c", 15, "worker", true),
				frame("./nptl/pthread_create.c", 448, "start_thread", false),
				frame("../sysdeps/unix/sysv/linux/x86_64/clone.S", 100, "clone", false));
	}

	@Test
	void crashInALibraryCalledFromPython() {
		Finding finding = only(parse(this.parser, "gdb/python-ctypes.txt", List.of("crash.py"), List.of("cb.c")));
		assertThat(finding.frames()).hasSize(19);
		assertThat(finding.frames().getFirst()).isEqualTo(frame("cb.c", 19, "first_byte", false));
		assertThat(finding.frames().get(1)).isEqualTo(frame("/lib/x86_64-linux-gnu/libffi.so.8", null, null, false));
		assertThat(finding.frames().get(6)).isEqualTo(frame(null, null, "_PyObject_MakeTpCall", false));
		assertThat(finding.frames()).noneMatch(Frame::student);
	}

	@Test
	void aProgramThatExitedNormallyHasNoFinding() {
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parser.parse("[Inferior 1 (process 12) exited normally]\nNo stack.\n", sink);
		assertThat(sink.findings()).isEmpty();
	}

	private static Finding only(FindingSink sink) {
		assertThat(sink.findings()).hasSize(1);
		return sink.findings().getFirst();
	}

}
