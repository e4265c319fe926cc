package org.ffilab.grading;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class HandoverTests {

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private final Handover handover = new Handover();

	@Test
	void chunksAreReassembledInOrder() {
		this.handover.add(chunk("wheelhouse/z.whl", 0644, 11, 0, "hello "));
		this.handover.add(chunk("wheelhouse/z.whl", 0644, 11, 6, "wheel"));
		this.handover.add(chunk("bin/run.sh", 0755, 2, 0, "#!"));
		this.handover.end(summary(2, null, "dist/link.whl"));

		assertThat(this.handover.problem()).isNull();
		assertThat(this.handover.files()).extracting(Artifact::path, (a) -> new String(a.data(), StandardCharsets.UTF_8),
				Artifact::executable)
			.containsExactly(tuple("wheelhouse/z.whl", "hello wheel", false),
					tuple("bin/run.sh", "#!", true));
		assertThat(this.handover.passedOver()).containsExactly("dist/link.whl");
	}

	@Test
	void anEmptyHandoverIsComplete() {
		this.handover.end(summary(0, null));
		assertThat(this.handover.problem()).isNull();
		assertThat(this.handover.files()).isEmpty();
	}

	@Test
	void withoutItsSummaryTheHandoverDidNotFinish() {
		this.handover.add(chunk("wheelhouse/z.whl", 0644, 5, 0, "hello"));
		assertThat(this.handover.problem()).isEqualTo("the first stage ended before it had handed its files over");
		assertThat(this.handover.files()).isEmpty();
	}

	@Test
	void theHarnessesOwnErrorIsTheProblem() {
		this.handover.end(summary(0, "the files to hand over (dist) add up to 20 MiB, more than the 16 MiB a run "
				+ "may hand over"));
		assertThat(this.handover.problem()).startsWith("the files to hand over (dist) add up to 20 MiB");
	}

	@Test
	void unsafeNamesAreRefusedAndNothingIsHandedOver() {
		for (String name : List.of("../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "./a", "a\\b", "a\nb", "",
				"dist/")) {
			Handover handover = new Handover();
			handover.add(chunk("dist/ok.whl", 0644, 2, 0, "ok"));
			handover.add(chunk(name, 0644, 1, 0, "x"));
			handover.end(summary(2, null));
			assertThat(handover.problem()).as(name).isEqualTo("the harness sent a file with an unusable name");
			assertThat(handover.files()).as(name).isEmpty();
		}
	}

	@Test
	void chunksOutOfOrderOrPastTheirSizeAreRefused() {
		this.handover.add(chunk("a.whl", 0644, 10, 5, "later"));
		this.handover.end(summary(1, null));
		assertThat(this.handover.problem()).isEqualTo("the harness sent a.whl out of order");

		Handover tooLong = new Handover();
		tooLong.add(chunk("a.whl", 0644, 3, 0, "four"));
		assertThat(tooLong.files()).isEmpty();
		tooLong.end(summary(1, null));
		assertThat(tooLong.problem()).isEqualTo("the harness sent a.whl out of order");
	}

	@Test
	void aFileCutShortOrAMiscountIsRefused() {
		this.handover.add(chunk("a.whl", 0644, 10, 0, "short"));
		this.handover.end(summary(1, null));
		assertThat(this.handover.problem()).isEqualTo("the harness sent only part of a.whl");

		Handover miscounted = new Handover();
		miscounted.add(chunk("a.whl", 0644, 1, 0, "a"));
		miscounted.end(summary(2, null));
		assertThat(miscounted.problem()).isEqualTo("the harness announced 2 files and sent 1");
	}

	@Test
	void damagedBase64IsRefused() {
		Map<String, Object> frame = new LinkedHashMap<>(Map.of("type", "artifact", "path", "a.whl", "mode", 0644,
				"size", 3, "offset", 0, "data", "!!not base64!!"));
		this.handover.add(JSON.valueToTree(frame));
		this.handover.end(summary(1, null));
		assertThat(this.handover.problem()).isEqualTo("the harness sent a.whl damaged");
	}

	@Test
	void moreThanSixteenMibIsRefused() {
		byte[] mib = new byte[1024 * 1024];
		String data = Base64.getEncoder().encodeToString(mib);
		for (int i = 0; i <= 16; i++) {
			this.handover.add(JSON.valueToTree(Map.of("type", "artifact", "path", "big.bin", "mode", 0644, "size",
					17L * mib.length, "offset", (long) i * mib.length, "data", data)));
		}
		this.handover.end(summary(1, null));
		assertThat(this.handover.problem()).isEqualTo("the files to hand over are larger than 16 MiB");
		assertThat(this.handover.files()).isEmpty();
	}

	@Test
	void aFileAfterTheSummaryIsRefused() {
		this.handover.end(summary(0, null));
		this.handover.add(chunk("late.whl", 0644, 1, 0, "x"));
		assertThat(this.handover.problem()).isEqualTo("the harness sent a file after the hand-over ended");
	}

	private static JsonNode chunk(String path, int mode, long size, long offset, String text) {
		return JSON.valueToTree(Map.of("type", "artifact", "path", path, "mode", mode, "size", size, "offset", offset,
				"data", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
	}

	private static JsonNode summary(int files, String error, String... passedOver) {
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("type", "artifacts");
		summary.put("files", files);
		summary.put("missing", List.of());
		summary.put("passedOver", List.of(passedOver));
		summary.put("error", error);
		return JSON.valueToTree(summary);
	}

}
