package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class HotSpotParserTests {

	private final HotSpotParser parser = new HotSpotParser();

	@Test
	void xcheckJniWarningsForAMissingExceptionCheck() {
		List<Finding> findings = parse(this.parser, "hotspot/xcheck-exception-pending.txt", "Native.java", "native.c")
			.findings();
		assertThat(findings).extracting(Finding::kind).containsOnly("jni-exception-pending");
		// Printed once per call: repeats fold into one finding.
		assertThat(findings).extracting(Finding::message)
			.containsExactly("JNI call made with exception pending (reported 2 times)",
					"JNI call made without checking exceptions when required to from CallVoidMethod");
		assertThat(findings.getFirst().frames()).containsExactly(frame(null, null, "Native.callTwice", false),
				frame("Native.java", 13, "Native.main", true));
	}

	@Test
	void xcheckJniFatalErrorForAnUnattachedThread() {
		Finding finding = only(parse(this.parser, "hotspot/xcheck-non-java-thread.txt", "Native.java"));
		assertThat(finding.kind()).isEqualTo("jni-wrong-thread");
		assertThat(finding.message()).isEqualTo("Using JNIEnv in non-Java thread");
		assertThat(finding.frames()).isEmpty();
	}

	@Test
	void crashInNativeCodeFromStderrAndTheHsErrFile() {
		// stderr's header and the hs_err file's copy of it: one crash, with the file's native frames.
		Finding finding = only(parse(this.parser, "hotspot/crash-in-native-code.txt", "Native.java", "native.c"));
		assertThat(finding.kind()).isEqualTo("crash");
		assertThat(finding.message()).isEqualTo(
				"The JVM crashed with SIGSEGV in read_x (libnative.so); the crash happened outside the JVM, in native code");
		assertThat(finding.frames().subList(0, 4)).containsExactly(frame("libnative.so", null, "read_x", false),
				frame("libnative.so", null, "Java_Native_crash", false), frame("Native.java", null, "Native.crash", true),
				frame("Native.java", null, "Native.main", true));
		assertThat(finding.frames()).hasSize(11);
		assertThat(finding.frames().get(5).function()).isEqualTo("JavaCalls::call_helper");
	}

	@Test
	void crashInJniFunctionsOnANativeThreadIsAWrongThread() {
		Finding finding = only(parse(this.parser, "hotspot/crash-unattached-thread.txt", "Native.java", "native.c"));
		assertThat(finding.kind()).isEqualTo("jni-wrong-thread");
		assertThat(finding.message()).contains("SIGSEGV").contains("not attached to the JVM");
		assertThat(finding.frames()).extracting(Frame::function)
			.containsExactly("JNI_ArgumentPusher::JNI_ArgumentPusher", "jni_CallVoidMethod", "thread_main");
	}

	@Test
	void onlyTheStderrHeader() {
		String text = GoldenReports.read("hotspot/crash-in-native-code.txt");
		String header = text.substring(0, text.indexOf("Aborted"));
		FindingSink sink = new FindingSink(new StudentFiles(List.of("Native.java"), List.of()));
		this.parser.parse(header, sink);
		assertThat(only(sink).frames()).containsExactly(frame("libnative.so", null, "read_x", false));
	}

	@Test
	void javaFramesWithModulesLoadersAndHiddenClasses() {
		FindingSink sink = new FindingSink(new StudentFiles(List.of("MyMath.java"), List.of()));
		this.parser.parse("""
				WARNING in native method: JNI call made without checking exceptions when required to from CallIntMethod
					at MyMath.sumChecked(Native Method)
					at java.base/java.lang.invoke.LambdaForm$MH/0x0000000097050400.invoke(LambdaForm$MH)
					at app//MyMath.main(MyMath.java:21)
					at java.base@25.0.5/java.lang.Thread.run(Thread.java:1583)
				""", sink);
		assertThat(only(sink).frames()).containsExactly(frame(null, null, "MyMath.sumChecked", false),
				frame(null, null, "java.lang.invoke.LambdaForm$MH.invoke", false),
				frame("MyMath.java", 21, "MyMath.main", true), frame("Thread.java", 1583, "java.lang.Thread.run", false));
	}

	@Test
	void kindsOfJniMessages() {
		assertThat(HotSpotParser.jniKind("Using JNIEnv in the wrong thread")).isEqualTo("jni-wrong-thread");
		assertThat(HotSpotParser.jniKind("Bad global or local ref passed to JNI")).isEqualTo("jni-misuse");
		assertThat(HotSpotParser.jniKind("JNI local refs: 33, exceeds capacity: 32")).isEqualTo("jni-misuse");
	}

	private static Finding only(FindingSink sink) {
		assertThat(sink.findings()).hasSize(1);
		return sink.findings().getFirst();
	}

}
