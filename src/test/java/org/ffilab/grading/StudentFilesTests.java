package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StudentFilesTests {

	private final StudentFiles files = new StudentFiles(List.of("leak.c", "src/lib.rs", "Native.java"),
			List.of("harness.c", "support/probe.py"));

	@Test
	void pathsInTheWorkDirBecomeRelative() {
		assertThat(this.files.path("/work/leak.c")).isEqualTo("leak.c");
		assertThat(this.files.path("/work/./src//lib.rs")).isEqualTo("src/lib.rs");
		assertThat(this.files.path("/work/../etc/passwd")).isEqualTo("/work/../etc/passwd");
		assertThat(this.files.path("/usr/include/stdio.h")).isEqualTo("/usr/include/stdio.h");
		assertThat(this.files.path("  ")).isNull();
	}

	@Test
	void studentFramesAreTheEditableFilesHoweverTheToolNamesThem() {
		assertThat(this.files.isStudent("/work/leak.c")).isTrue();
		assertThat(this.files.isStudent("leak.c")).isTrue();
		assertThat(this.files.isStudent("./leak.c")).isTrue();
		assertThat(this.files.isStudent("/work/src/lib.rs")).isTrue();
		assertThat(this.files.isStudent("src/lib.rs")).isTrue();
		assertThat(this.files.isStudent("lib.rs")).isTrue();
		assertThat(this.files.isStudent("Native.java")).isTrue();
		// Same name, but a header of the system or somebody else's directory.
		assertThat(this.files.isStudent("/usr/src/leak.c")).isFalse();
		assertThat(this.files.isStudent("other/leak.c")).isFalse();
		assertThat(this.files.isStudent("../leak.c")).isFalse();
		assertThat(this.files.isStudent("/work/harness.c")).isFalse();
		assertThat(this.files.isStudent(null)).isFalse();
	}

	@Test
	void localFilesAreTheWorkDirsAndTheTasksSupportFiles() {
		assertThat(this.files.isLocal("/work/harness.c")).isTrue();
		assertThat(this.files.isLocal("/work/libbuf.so")).isTrue();
		assertThat(this.files.isLocal("harness.c")).isTrue();
		assertThat(this.files.isLocal("support/probe.py")).isTrue();
		assertThat(this.files.isLocal("/usr/bin/python3.13")).isFalse();
		assertThat(this.files.isLocal("csu/../sysdeps/nptl/libc_start_call_main.h")).isFalse();
		assertThat(this.files.isLocal("../../../../src/libsanitizer/asan/asan_malloc_linux.cpp")).isFalse();
	}

	@Test
	void resolvedFramesAreCappedAndCleaned() {
		Frame frame = this.files.resolve(new Frame("/work/leak.c", 0, " ".repeat(3), false));
		assertThat(frame).isEqualTo(new Frame("leak.c", null, null, true));
		Frame long_ = this.files.resolve(new Frame("/x/" + "a".repeat(1000), 3, "f".repeat(1000), false));
		assertThat(long_.file()).hasSize(StudentFiles.MAX_PATH + 3);
		assertThat(long_.function()).hasSize(StudentFiles.MAX_FUNCTION + 3);
	}

}
