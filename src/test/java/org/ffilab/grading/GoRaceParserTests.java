package org.ffilab.grading;

import java.util.List;

import org.ffilab.grading.Verdict.Finding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ffilab.grading.GoldenReports.frame;
import static org.ffilab.grading.GoldenReports.parse;

class GoRaceParserTests {

	private final GoRaceParser parser = new GoRaceParser();

	@Test
	void twoRacesBetweenTheProgramsOwnOutput() {
		List<Finding> races = parse(this.parser, "gorace/program-with-output.txt", "main.go").findings();
		assertThat(races).hasSize(2).extracting(Finding::tool).containsOnly("gorace");
		assertThat(races).extracting(Finding::kind).containsOnly("data-race");
		assertThat(races.get(0).message())
			.isEqualTo("data race: Read by goroutine 7; Previous write by goroutine 10 in main.race.func1 (main.go:67)");
		assertThat(races.get(0).frames()).containsExactly(frame("main.go", 67, "main.race.func1", true),
				frame("main.go", 70, "main.race.gowrap1", true));
		assertThat(races.get(1).message()).startsWith("data race: Write by goroutine 7;");
	}

	@Test
	void aRaceInGoTestOutput() {
		Finding race = parse(this.parser, "gorace/go-test.txt", "main.go").findings().getFirst();
		assertThat(race.frames().getFirst()).isEqualTo(frame("main.go", 75, "lab.race.func1", true));
		assertThat(parse(this.parser, "gorace/go-test.txt", "main.go").findings()).hasSize(1);
	}

	@Test
	void aReportCutOffBeforeItsEnd() {
		String text = GoldenReports.read("gorace/go-test.txt");
		FindingSink sink = new FindingSink(new StudentFiles(List.of("main.go"), List.of()));
		this.parser.parse(text.substring(0, text.indexOf("Previous write")), sink);
		assertThat(sink.findings()).singleElement()
			.satisfies((race) -> assertThat(race.message()).isEqualTo("data race: Read by goroutine 9"));
	}

	@Test
	void goFunctionNames() {
		assertThat(GoStacks.function("main.(*T).m(0xc000012345, 0x1)")).isEqualTo("main.(*T).m");
		assertThat(GoStacks.function("main.main.func1(...)")).isEqualTo("main.main.func1");
		assertThat(GoStacks.function("panic({0x4b2ce0?, 0xc000012345?})")).isEqualTo("panic");
		assertThat(GoStacks.function("created by testing.(*B).run1 in goroutine 1")).isEqualTo("testing.(*B).run1");
		assertThat(GoStacks.function("goroutine 1 [running]:")).isNull();
		assertThat(GoStacks.function("worker 3 done")).isNull();
	}

}
