package org.ffilab.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.ffilab.grading.Verdict.Finding;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ReportParsersTests {

	private static final List<ReportParser> ALL = List.of(new SanitizerReportParser(), new ValgrindXmlParser(),
			new GoRaceParser(), new GoPanicParser(), new HotSpotParser(), new GdbBacktraceParser(), new GoBenchParser(),
			new MetricLineParser());

	private final ReportParsers parsers = new ReportParsers();

	@Test
	void dispatchesOnTheToolName() {
		assertThat(kinds("ASan", "asan/double-free.txt")).containsExactly("double-free");
		assertThat(kinds("lsan", "lsan/leaks.txt")).containsOnly("leak");
		assertThat(kinds("tsan", "tsan/data-race.txt")).containsExactly("data-race");
		assertThat(kinds("ubsan", "ubsan/runtime-errors.txt")).containsOnly("undefined-behavior");
		assertThat(kinds("valgrind", "valgrind/double-free.xml")).containsExactly("double-free");
		assertThat(kinds("gorace", "gorace/go-test.txt")).containsExactly("data-race");
		assertThat(kinds("cgocheck", "cgocheck/unpinned-go-pointer.txt")).containsExactly("cgo-pointer");
		assertThat(kinds("hotspot", "hotspot/xcheck-non-java-thread.txt")).containsExactly("jni-wrong-thread");
		assertThat(kinds("gdb", "gdb/segv.txt")).containsExactly("crash");
		assertThat(metrics("gobench", "gobench/count-3.txt")).isEqualTo(10);
		assertThat(metrics("metrics", "metrics/gil-timings.txt")).isEqualTo(3);
		// A tool parses only its own reports.
		assertThat(kinds("valgrind", "asan/double-free.txt")).isEmpty();
	}

	@TestFactory
	Stream<DynamicTest> autoFindsWhatTheNamedParserFinds() {
		return GoldenReports.all()
			.stream()
			.filter((path) -> !path.startsWith("gobench/") && !path.startsWith("metrics/"))
			.map((path) -> DynamicTest.dynamicTest(path, () -> {
				String tool = path.substring(0, path.indexOf('/'));
				List<String> named = kinds(tool, path);
				assertThat(named).isNotEmpty();
				assertThat(kinds("auto", path)).containsExactlyInAnyOrderElementsOf(named);
				assertThat(kinds("some-new-tool", path)).containsExactlyInAnyOrderElementsOf(named);
			}));
	}

	@Test
	void autoNeverReadsMetricsAProgramCouldHavePrinted() {
		assertThat(metrics("auto", "metrics/gil-timings.txt")).isZero();
		assertThat(metrics("auto", "gobench/count-3.txt")).isZero();
	}

	/** Every parser on every golden report cut at many places, and on junk: nothing is ever thrown. */
	@TestFactory
	Stream<DynamicTest> noParserThrowsOnACutOrMangledReport() {
		Random random = new Random(42);
		return GoldenReports.all().stream().map((path) -> DynamicTest.dynamicTest(path, () -> {
			String text = GoldenReports.read(path);
			List<String> variants = new ArrayList<>();
			for (int i = 1; i <= 40; i++) {
				variants.add(text.substring(0, text.length() * i / 41));
			}
			char[] mangled = text.toCharArray();
			for (int i = 0; i < mangled.length / 20; i++) {
				mangled[random.nextInt(mangled.length)] = (char) random.nextInt(0x3000);
			}
			variants.add(new String(mangled));
			variants.add(text.replace("\n", "\r\n"));
			variants.add(text.replace("\n", ""));
			for (ReportParser parser : ALL) {
				for (String variant : variants) {
					assertThatNoException().as("%s on %s", parser.tool(), path)
						.isThrownBy(() -> parser.parse(variant, new FindingSink(StudentFiles.none())));
				}
			}
		}));
	}

	@Test
	void junkIsNoFinding() {
		for (String junk : List.of("", "\u0000\u0001\u0002", "#0", "#0 0x", "==1==ERROR: ", "<valgrindoutput><error>",
				"WARNING: DATA RACE\n==================", "panic: \ngoroutine 1 [running]:\n\t:\n",
				"Program received signal SIGSEGV, Segmentation fault.\n#0")) {
			FindingSink sink = new FindingSink(StudentFiles.none());
			this.parsers.parse("auto", junk, sink);
			assertThat(sink.findings()).allSatisfy((finding) -> assertThat(finding.kind()).isIn(FindingKind.ALL));
		}
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parsers.parse(null, null, sink);
		assertThat(sink.findings()).isEmpty();
	}

	@Test
	void capsFindingsPerReport() {
		StringBuilder warnings = new StringBuilder();
		for (int i = 0; i < 500; i++) {
			warnings.append("WARNING in native method: JNI call ").append(i).append(" made with exception pending\n")
				.append("\tat Native.main(Native.java:").append(i + 1).append(")\n");
		}
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parsers.parse("hotspot", warnings.toString(), sink);
		assertThat(sink.findings()).hasSize(FindingSink.MAX_FINDINGS);
	}

	@Test
	void capsFramesPerFinding() {
		StringBuilder report = new StringBuilder("==1==ERROR: AddressSanitizer: stack-overflow on address 0x1\n");
		for (int i = 0; i < 5000; i++) {
			report.append("    #").append(i).append(" 0x5 in recurse /work/deep.c:").append(3).append(":5\n");
		}
		FindingSink sink = new FindingSink(new StudentFiles(List.of("deep.c"), List.of()));
		this.parsers.parse("asan", report.toString(), sink);
		Finding finding = sink.findings().getFirst();
		assertThat(finding.kind()).isEqualTo("crash");
		assertThat(finding.frames()).hasSize(FindingSink.MAX_FRAMES);
	}

	@Test
	void capsTheInput() {
		String leak = "Direct leak of 8 byte(s) in 1 object(s) allocated from:\n    #0 0x1 in make /work/m.c:3:1\n";
		String late = "x".repeat(ReportText.MAX_INPUT) + "\n==1==ERROR: LeakSanitizer: detected memory leaks\n" + leak;
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parsers.parse("lsan", late, sink);
		assertThat(sink.findings()).isEmpty();
		assertThat(ReportText.clean("\u001B[1;31mred\u001B[0m")).isEqualTo("red");
	}

	@Test
	void pathologicalReportsAreParsedQuickly() {
		String line = " a:1".repeat(1000);
		List<String> reports = List.of("==1==ERROR: AddressSanitizer: x\n" + ("    #0 " + line + "\n").repeat(256),
				("SUMMARY: AddressSanitizer: x" + line + "\n").repeat(256), (line + ": runtime error: x\n").repeat(256),
				"<valgrindoutput>" + "<error><stack>".repeat(100_000),
				"panic: x\ngoroutine 1 [running]:\n" + ("f" + "(".repeat(2000) + ")".repeat(2000) + "\n\t/w.go:1\n").repeat(100),
				("WARNING in native method: x\n" + "\tat a(" + "b:".repeat(2000) + ")\n").repeat(100),
				"Program received signal SIGSEGV, x.\n" + ("#0 " + " (".repeat(2000) + " at a:1\n").repeat(200),
				("Benchmark" + " 1".repeat(2000) + "\n").repeat(200), ("METRIC" + " a=\"".repeat(2000) + "\n").repeat(200));
		List<String> slow = new ArrayList<>();
		for (String report : reports) {
			for (ReportParser parser : ALL) {
				long start = System.nanoTime();
				parser.parse(report, new FindingSink(StudentFiles.none()));
				long millis = (System.nanoTime() - start) / 1_000_000;
				if (millis > 1_000) {
					slow.add(parser.tool() + " on " + report.substring(0, 30) + ": " + millis + " ms");
				}
			}
		}
		assertThat(slow).isEmpty();
	}

	@Test
	void everyKindIsInTheVocabulary() {
		for (String path : GoldenReports.all()) {
			assertThat(kinds("auto", path)).allSatisfy((kind) -> assertThat(kind).isIn(FindingKind.ALL));
		}
	}

	private List<String> kinds(String tool, String path) {
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parsers.parse(tool, GoldenReports.read(path), sink);
		return sink.findings().stream().map(Finding::kind).toList();
	}

	private int metrics(String tool, String path) {
		FindingSink sink = new FindingSink(StudentFiles.none());
		this.parsers.parse(tool, GoldenReports.read(path), sink);
		return sink.metrics().size();
	}

}
