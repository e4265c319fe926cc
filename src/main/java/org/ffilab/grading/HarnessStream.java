package org.ffilab.grading;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Splits the harness's stdout into JSON-line frames and dispatches them. Bytes are buffered until a
 * whole line has arrived, so a UTF-8 character split across chunks decodes correctly.
 */
public final class HarnessStream {

	/** A frame longer than this is not from a healthy harness; it is dropped. */
	private static final int MAX_FRAME_BYTES = 8 * 1024 * 1024;

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private final HarnessEvents events;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream();

	private boolean sawResult;

	private boolean dropping;

	public HarnessStream(HarnessEvents events) {
		this.events = events;
	}

	public synchronized void feed(byte[] data) {
		for (byte b : data) {
			if (b == '\n') {
				if (!this.dropping) {
					dispatch(this.line.toString(StandardCharsets.UTF_8));
				}
				this.line.reset();
				this.dropping = false;
			}
			else if (!this.dropping) {
				this.line.write(b);
				if (this.line.size() > MAX_FRAME_BYTES) {
					this.events.noise("[a harness frame over " + MAX_FRAME_BYTES + " bytes was dropped]");
					this.line.reset();
					this.dropping = true;
				}
			}
		}
	}

	/** Call once the stream has ended: a last line without a newline still counts. */
	public synchronized void finish() {
		if (this.line.size() > 0 && !this.dropping) {
			dispatch(this.line.toString(StandardCharsets.UTF_8));
		}
		this.line.reset();
	}

	public synchronized boolean sawResult() {
		return this.sawResult;
	}

	private void dispatch(String text) {
		if (text.isBlank()) {
			return;
		}
		JsonNode frame;
		try {
			frame = JSON.readTree(text);
		}
		catch (JacksonException ex) {
			this.events.noise(text);
			return;
		}
		switch (frame.path("type").asString("")) {
			case "output" -> this.events.output(frame.path("text").asString(""));
			case "step" -> this.events.step(frame);
			case "report" -> this.events.report(frame.path("tool").asString(""), frame.path("test").asString(null),
					frame.path("text").asString(""));
			case "artifact" -> this.events.artifact(frame);
			case "artifacts" -> this.events.artifacts(frame);
			case "result" -> {
				this.sawResult = true;
				this.events.result(frame.path("result"));
			}
			default -> this.events.noise(text);
		}
	}

}
