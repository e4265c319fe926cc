package org.ffilab.grading;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class HarnessStreamTests {

	private final Recorder recorder = new Recorder();

	private final HarnessStream stream = new HarnessStream(this.recorder);

	@Test
	void dispatchesFramesSplitAcrossChunks() {
		byte[] frames = """
				{"type":"output","text":"héllo\\n"}
				{"type":"step","name":"build","phase":"start"}
				{"type":"report","tool":"asan","test":"no leak","text":"==1==ERROR"}
				{"type":"result","result":{"status":"pass"}}
				""".getBytes(StandardCharsets.UTF_8);
		// Split inside the two-byte 'é' to prove lines are decoded whole.
		int split = new String(frames, StandardCharsets.UTF_8).indexOf('é') + 1;
		this.stream.feed(java.util.Arrays.copyOfRange(frames, 0, split));
		this.stream.feed(java.util.Arrays.copyOfRange(frames, split, frames.length));
		assertThat(this.recorder.output).containsExactly("héllo\n");
		assertThat(this.recorder.steps).containsExactly("build");
		assertThat(this.recorder.reports).containsExactly("asan:no leak:==1==ERROR");
		assertThat(this.stream.sawResult()).isTrue();
		assertThat(this.recorder.result.path("status").asString()).isEqualTo("pass");
	}

	@Test
	void artifactFramesAndTheirSummaryGoToTheirOwnEvents() {
		this.stream.feed("""
				{"type":"artifact","path":"wheelhouse/z.whl","mode":420,"size":2,"offset":0,"data":"aGk="}
				{"type":"artifacts","files":1,"bytes":2,"missing":[],"passedOver":[],"error":null}
				{"type":"result","result":{"status":"pass"}}
				""".getBytes(StandardCharsets.UTF_8));
		assertThat(this.recorder.artifacts).containsExactly("wheelhouse/z.whl:aGk=", "end:1");
		assertThat(this.recorder.noise).isEmpty();
		assertThat(this.recorder.output).isEmpty();
	}

	@Test
	void nonFrameLinesAreNoiseNeverOutputOrResult() {
		this.stream.feed("all tests passed\n{\"type\":\"bogus\"}\n".getBytes(StandardCharsets.UTF_8));
		this.stream.finish();
		assertThat(this.recorder.noise).containsExactly("all tests passed", "{\"type\":\"bogus\"}");
		assertThat(this.recorder.output).isEmpty();
		assertThat(this.stream.sawResult()).isFalse();
	}

	@Test
	void lastLineWithoutNewlineCountsAtFinish() {
		this.stream.feed("{\"type\":\"output\",\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8));
		assertThat(this.recorder.output).isEmpty();
		this.stream.finish();
		assertThat(this.recorder.output).containsExactly("x");
	}

	static final class Recorder implements HarnessEvents {

		final List<String> output = new ArrayList<>();

		final List<String> steps = new ArrayList<>();

		final List<String> reports = new ArrayList<>();

		final List<String> noise = new ArrayList<>();

		final List<String> artifacts = new ArrayList<>();

		JsonNode result;

		@Override
		public void output(String text) {
			this.output.add(text);
		}

		@Override
		public void artifact(JsonNode frame) {
			this.artifacts.add(frame.path("path").asString() + ":" + frame.path("data").asString());
		}

		@Override
		public void artifacts(JsonNode summary) {
			this.artifacts.add("end:" + summary.path("files").asInt());
		}

		@Override
		public void step(JsonNode frame) {
			this.steps.add(frame.path("name").asString());
		}

		@Override
		public void report(String tool, String test, String text) {
			this.reports.add(tool + ":" + test + ":" + text);
		}

		@Override
		public void result(JsonNode result) {
			this.result = result;
		}

		@Override
		public void noise(String line) {
			this.noise.add(line);
		}

	}

}
