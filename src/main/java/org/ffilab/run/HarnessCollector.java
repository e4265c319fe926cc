package org.ffilab.run;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.ffilab.grading.Handover;
import org.ffilab.grading.HarnessEvents;
import org.ffilab.grading.HarnessStream;
import org.ffilab.grading.ToolReports;
import org.ffilab.sandbox.OutputChunk;
import tools.jackson.databind.JsonNode;

/**
 * Routes one container's streams: stdout is the harness protocol, stderr its diagnostics. Output
 * goes on as it comes, tool reports are parsed as they arrive, and handed-over files are collected.
 */
final class HarnessCollector implements HarnessEvents {

	private static final int MAX_DIAGNOSTICS = 64 * 1024;

	private final Consumer<String> output;

	private final HarnessStream stream = new HarnessStream(this);

	private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

	private final ToolReports reports;

	private final Handover handover = new Handover();

	private JsonNode result;

	HarnessCollector(Consumer<String> output, ToolReports reports) {
		this.output = output;
		this.reports = reports;
	}

	void accept(OutputChunk chunk) {
		if (chunk.stream() == OutputChunk.Stream.STDOUT) {
			this.stream.feed(chunk.data());
		}
		else {
			keep(chunk.data());
		}
	}

	/** Call once the container has ended. */
	void finish() {
		this.stream.finish();
	}

	JsonNode result() {
		return this.result;
	}

	ToolReports reports() {
		return this.reports;
	}

	Handover handover() {
		return this.handover;
	}

	/** The harness's log (stderr) and any line of stdout that was not a frame; empty when all was well. */
	String diagnostics() {
		return this.diagnostics.toString(StandardCharsets.UTF_8);
	}

	@Override
	public void output(String text) {
		this.output.accept(text);
	}

	@Override
	public void report(String tool, String test, String text) {
		this.reports.add(tool, text);
	}

	@Override
	public void artifact(JsonNode frame) {
		this.handover.add(frame);
	}

	@Override
	public void artifacts(JsonNode summary) {
		this.handover.end(summary);
	}

	@Override
	public void result(JsonNode result) {
		this.result = result;
	}

	@Override
	public void noise(String line) {
		keep((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	private void keep(byte[] data) {
		if (this.diagnostics.size() < MAX_DIAGNOSTICS) {
			this.diagnostics.writeBytes(data);
		}
	}

}
