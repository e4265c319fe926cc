package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class GoPanicParserTests {

	private final GoPanicParser parser = new GoPanicParser();

	@Test
	void cgocheckPanic() {
		Finding finding = only(parse(this.parser, "cgocheck/unpinned-go-pointer.txt", "main.go"));
		assertThat(finding.tool()).isEqualTo("cgocheck");
		assertThat(finding.kind()).isEqualTo("cgo-pointer");
		assertThat(finding.message()).isEqualTo("panic: runtime error: cgo argument has Go pointer to unpinned Go pointer");
		assertThat(finding.frames()).containsExactly(frame("main.go", 43, "main.passGoPointer.func1", true),
				frame("main.go", 43, "main.passGoPointer", true), frame("main.go", 84, "main.main", true));
	}

	@Test
	void cgocheckPanicInsideABenchmarkAfterItsResultLines() {
		Finding finding = only(parse(this.parser, "cgocheck/panic-in-benchmark.txt", "main.go"));
		assertThat(finding.kind()).isEqualTo("cgo-pointer");
		assertThat(finding.frames()).hasSize(6);
		assertThat(finding.frames().getFirst()).isEqualTo(frame("main.go", 49, "lab.sumNodes.func1", true));
		assertThat(finding.frames().get(2)).isEqualTo(frame("bench_test.go", 24, "lab.BenchmarkSum", false));
		assertThat(finding.frames().get(5))
			.isEqualTo(frame("/usr/lib/go-1.24/src/testing/benchmark.go", 238, "testing.(*B).run1", false));
	}

	@Test
	void aSignalInCCodeIsACrashWithTheFailingGoroutinesStackOnly() {
		Finding finding = only(parse(this.parser, "cgocheck/signal-in-c-code.txt", "main.go"));
		assertThat(finding.tool()).isEqualTo("go");
		assertThat(finding.kind()).isEqualTo("crash");
		assertThat(finding.message())
			.isEqualTo("SIGSEGV: segmentation violation; the signal arrived during cgo execution (in C code)");
		assertThat(finding.frames()).extracting(Frame::function)
			.containsExactly("runtime.cgocall", "main._Cfunc_read_null", "main.crashInC", "main.main", "runtime.main",
					"runtime.goexit");
		assertThat(finding.frames().get(1)).isEqualTo(frame("_cgo_gotypes.go", 78, "main._Cfunc_read_null", false));
		assertThat(finding.frames().get(2)).isEqualTo(frame("main.go", 53, "main.crashInC", true));
	}

	@Test
	void otherFatalErrors() {
		FindingSink sink = new FindingSink(new StudentFiles(List.of("main.go"), List.of()));
		this.parser.parse("""
				fatal error: all goroutines are asleep - deadlock!

				goroutine 1 [chan send]:
				main.main()
					/work/main.go:7 +0x36
				exit status 2
				fatal error: concurrent map writes

				goroutine 6 [running]:
				main.fill(...)
					/work/main.go:12 +0x4c
				""", sink);
		assertThat(sink.findings()).extracting(Finding::kind).containsExactly("deadlock", "data-race");
		assertThat(sink.findings()).extracting(Finding::tool).containsOnly("go");
	}

	private static Finding only(FindingSink sink) {
		assertThat(sink.findings()).hasSize(1);
		return sink.findings().getFirst();
	}

}
