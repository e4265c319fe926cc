package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ffilab.grading.GoldenReports.firstStudentFrame;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class ValgrindXmlParserTests {

	private final ValgrindXmlParser parser = new ValgrindXmlParser();

	@Test
	void invalidReadOfAFreedBlockIsAUseAfterFree() {
		Finding finding = only(parse(this.parser, "valgrind/invalid-read.xml", "uaf.c"));
		assertThat(finding.tool()).isEqualTo("valgrind");
		assertThat(finding.kind()).isEqualTo("use-after-free");
		assertThat(finding.frames()).containsExactly(frame("uaf.c", 12, "bad", true), frame("uaf.c", 17, "main", true));
		assertThat(finding.message())
			.startsWith("Invalid read of size 4; Address 0x4a55044 is 4 bytes inside a block of size 16 free'd"
					+ " in bad (uaf.c:11)")
			.contains("Block was alloc'd in make (uaf.c:5)");
	}

	@Test
	void invalidFreeOfAFreedBlockIsADoubleFree() {
		Finding finding = only(parse(this.parser, "valgrind/double-free.xml", "dfree.c"));
		assertThat(finding.kind()).isEqualTo("double-free");
		assertThat(finding.frames()).containsExactly(
				frame("./coregrind/m_replacemalloc/vg_replace_malloc.c", 989, "free", false),
				frame("dfree.c", 11, "release", true), frame("dfree.c", 17, "main", true));
		assertThat(finding.message()).isEqualTo("Invalid free() / delete / delete[] / realloc();"
				+ " Address 0x4a55040 is 0 bytes inside a block of size 4 free'd in release (dfree.c:11);"
				+ " Block was alloc'd in copy_name (dfree.c:5)");
	}

	@Test
	void invalidFreeOfAStackAddress() {
		Finding finding = only(parse(this.parser, "valgrind/invalid-free.xml", "badfree.c"));
		assertThat(finding.kind()).isEqualTo("invalid-free");
		assertThat(finding.message()).contains("is on thread 1's stack").contains("created by main (badfree.c:10)");
		assertThat(firstStudentFrame(finding)).isEqualTo(frame("badfree.c", 7, "point_free", true));
	}

	@Test
	void invalidWriteJustPastABlockIsAHeapBufferOverflow() {
		Finding finding = only(parse(this.parser, "valgrind/invalid-write.xml", "overflow.c"));
		assertThat(finding.kind()).isEqualTo("heap-buffer-overflow");
		assertThat(finding.message()).startsWith("Invalid write of size 1; Address 0x4a55050 is 0 bytes after a block"
				+ " of size 16 alloc'd in main (overflow.c:10)");
	}

	@Test
	void leaksWithTheirBytes() {
		List<Finding> leaks = parse(this.parser, "valgrind/leaks.xml", "leak.c").findings();
		assertThat(leaks).extracting(Finding::kind).containsOnly("leak");
		assertThat(leaks).extracting(Finding::bytes).containsExactly(5L, 10L, 16L, 42L);
		assertThat(leaks.get(3).message())
			.isEqualTo("42 (16 direct, 26 indirect) bytes in 1 blocks are definitely lost in loss record 4 of 4");
		assertThat(firstStudentFrame(leaks.get(3))).isEqualTo(frame("leak.c", 7, "push", true));
	}

	@Test
	void underPythonOnlyErrorsThroughTheWorkDirRemain() {
		// Noisy: 551 errors, 549 of them the interpreter's own leaks; the task's library is buf.c.
		FindingSink sink = parse(this.parser, "valgrind/python-threads-noisy.xml.gz", List.of("use_buf3.py"),
				List.of("buf.c"));
		List<Finding> findings = sink.findings();
		assertThat(findings).extracting(Finding::kind).containsExactly("double-free", "leak");
		assertThat(findings.get(0).message()).startsWith("Invalid free() / delete / delete[] / realloc() (thread 2);");
		assertThat(findings.get(0).frames().get(1)).isEqualTo(frame("buf.c", 18, "free_greeting", false));
		assertThat(findings.get(0).frames().get(2)).isEqualTo(frame("/usr/lib/x86_64-linux-gnu/libffi.so.8.1.4", null, null, false));
		assertThat(findings.get(1).bytes()).isEqualTo(4019L);
		assertThat(findings.get(1).frames()).extracting(Frame::function).contains("make_greeting");
		assertThat(sink.dropped()).isEqualTo(549);
	}

	@Test
	void aDocumentCutOffKeepsTheErrorsBeforeTheCutAndTheOneInProgress() {
		String xml = GoldenReports.read("valgrind/double-free.xml");
		// Cut inside the second stack of the only error: no closing tags at all.
		String cut = xml.substring(0, xml.indexOf("<line>16</line>"));
		FindingSink sink = new FindingSink(new StudentFiles(List.of("dfree.c"), List.of()));
		this.parser.parse(cut, sink);
		Finding finding = only(sink);
		assertThat(finding.kind()).isEqualTo("double-free");
		assertThat(finding.frames()).hasSize(3);
		String noisy = GoldenReports.read("valgrind/python-threads-noisy.xml.gz");
		FindingSink capped = new FindingSink(new StudentFiles(List.of("use_buf3.py"), List.of("buf.c")));
		this.parser.parse(noisy.substring(0, 300_000), capped);
		assertThat(capped.findings()).extracting(Finding::kind).containsExactly("double-free");
	}

	@Test
	void externalEntitiesAndDtdsAreNeverResolved() {
		String hostile = """
				<?xml version="1.0"?>
				<!DOCTYPE valgrindoutput [
				  <!ENTITY xxe SYSTEM "file:///etc/passwd">
				  <!ENTITY lol "lollollollollollollollollollollol">
				  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
				]>
				<valgrindoutput>
				<error><kind>InvalidRead</kind><what>Invalid read &xxe; &lol2;</what>
				<stack><frame><fn>bad</fn><dir>/work</dir><file>x.c</file><line>3</line></frame></stack></error>
				</valgrindoutput>
				""";
		FindingSink sink = new FindingSink(new StudentFiles(List.of("x.c"), List.of()));
		this.parser.parse(hostile, sink);
		// The DOCTYPE is not read at all; the undeclared entity ends the document, the error read so far stays.
		Finding finding = only(sink);
		assertThat(finding.kind()).isEqualTo("invalid-read");
		assertThat(finding.message()).doesNotContain("root:").doesNotContain("lollol");
	}

	@Test
	void theXmlFactoryRefusesADoctypeEvenAtTheStartOfADocument() throws Exception {
		String withDoctype = """
				<?xml version="1.0"?>
				<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
				<a>&xxe;</a>""";
		var reader = ValgrindXmlParser.factory().createXMLStreamReader(new java.io.StringReader(withDoctype));
		StringBuilder text = new StringBuilder();
		assertThatThrownBy(() -> {
			while (reader.hasNext()) {
				if (reader.next() == javax.xml.stream.XMLStreamConstants.CHARACTERS) {
					text.append(reader.getText());
				}
			}
		}).isInstanceOf(javax.xml.stream.XMLStreamException.class);
		assertThat(text.toString()).doesNotContain("root:");
	}

	@Test
	void aFatalSignalIsACrash() {
		FindingSink sink = new FindingSink(new StudentFiles(List.of("segv.c"), List.of()));
		this.parser.parse("""
				<valgrindoutput><fatal_signal><tid>1</tid><signo>11</signo><signame>SIGSEGV</signame>
				<sicode>1</sicode><event>Access not within mapped region</event><siaddr>0x18</siaddr>
				<stack><frame><ip>0x1</ip><obj>/work/segv</obj><fn>last_value</fn><dir>/work</dir>
				<file>segv.c</file><line>7</line></frame></stack></fatal_signal></valgrindoutput>""", sink);
		Finding crash = only(sink);
		assertThat(crash.kind()).isEqualTo("crash");
		assertThat(crash.message()).isEqualTo("The program was killed by SIGSEGV (address 0x18)");
		assertThat(crash.frames()).containsExactly(frame("segv.c", 7, "last_value", true));
	}

	@Test
	void kindsOfMemcheckAndHelgrind() {
		assertThat(ValgrindXmlParser.kind("InvalidFree", List.of("Address 0x1 is on thread 1's stack"))).isEqualTo("invalid-free");
		assertThat(ValgrindXmlParser.kind("MismatchedFree", List.of())).isEqualTo("invalid-free");
		assertThat(ValgrindXmlParser.kind("InvalidRead", List.of("Address 0x0 is not stack'd, malloc'd or (recently) free'd")))
			.isEqualTo("invalid-read");
		assertThat(ValgrindXmlParser.kind("InvalidWrite", List.of())).isEqualTo("invalid-write");
		assertThat(ValgrindXmlParser.kind("Leak_PossiblyLost", List.of())).isEqualTo("leak");
		assertThat(ValgrindXmlParser.kind("Leak_StillReachable", List.of())).isNull();
		assertThat(ValgrindXmlParser.kind("UninitCondition", List.of())).isEqualTo("undefined-behavior");
		assertThat(ValgrindXmlParser.kind("Race", List.of())).isEqualTo("data-race");
		assertThat(ValgrindXmlParser.kind("LockOrder", List.of())).isEqualTo("deadlock");
	}

	private static Finding only(FindingSink sink) {
		assertThat(sink.findings()).hasSize(1);
		return sink.findings().getFirst();
	}

}
