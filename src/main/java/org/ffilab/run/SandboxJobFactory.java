package org.ffilab.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.ffilab.grading.Artifact;
import org.ffilab.grading.Handover;
import org.ffilab.sandbox.SandboxLimits;
import org.ffilab.sandbox.SandboxProperties;
import org.ffilab.sandbox.SandboxRequest;
import org.ffilab.task.CleanMachine;
import org.ffilab.task.Task;
import org.ffilab.task.Track;
import org.ffilab.task.TrackLimits;
import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/**
 * Packs a run for the sandbox: the job description, the track's check and support files and the
 * student's files in one tar archive for the harness (docs/architecture.md), with the track's limits
 * clamped to the server's maxima. A track with a clean machine has a second job: its own check and
 * the files the first stage handed over, in the clean machine's image.
 */
@Component
public class SandboxJobFactory {

	static final List<String> HARNESS_COMMAND = List.of("ffilab-harness");

	private final SandboxProperties properties;

	private final ObjectMapper json;

	public SandboxJobFactory(SandboxProperties properties, ObjectMapper json) {
		this.properties = properties;
		this.json = json;
	}

	public SandboxRequest create(String runId, Task task, Track track, Map<String, String> studentFiles) {
		SandboxLimits limits = limits(track.limits());
		Map<String, Object> job = job(runId, task, track, limits);
		job.put("editable", track.editable());
		CleanMachine clean = track.cleanMachine();
		if (clean != null) {
			job.put("collect", clean.collect());
			job.put("collectLimitBytes", Handover.MAX_BYTES);
		}
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("job.json", this.json.writeValueAsBytes(job));
		entries.put("check.py", track.check());
		track.support().forEach((name, content) -> entries.put("support/" + name, content));
		studentFiles.forEach((name, content) -> entries.put("student/" + name, content.getBytes(StandardCharsets.UTF_8)));
		return new SandboxRequest(runId, track.image(), HARNESS_COMMAND, tar(entries, Set.of()), limits,
				(clean != null) ? Handover.MAX_BYTES : 0);
	}

	/**
	 * The second stage of a track with a clean machine: its check and what the first stage handed
	 * over, and nothing else (no student sources, no support files), in the clean machine's image.
	 */
	public SandboxRequest createCleanMachine(String runId, Task task, Track track, List<Artifact> handedOver) {
		CleanMachine clean = track.cleanMachine();
		SandboxLimits limits = limits(clean.limits());
		Map<String, Object> job = job(runId, task, track, limits);
		job.put("stage", "cleanMachine");
		job.put("editable", List.of());
		Map<String, byte[]> entries = new LinkedHashMap<>();
		entries.put("job.json", this.json.writeValueAsBytes(job));
		entries.put("check.py", clean.check());
		Set<String> executable = new HashSet<>();
		for (Artifact artifact : handedOver) {
			entries.put("artifacts/" + artifact.path(), artifact.data());
			if (artifact.executable()) {
				executable.add("artifacts/" + artifact.path());
			}
		}
		return new SandboxRequest(runId, clean.image(), HARNESS_COMMAND, tar(entries, executable), limits);
	}

	SandboxLimits limits(TrackLimits track) {
		return track.resolve(this.properties);
	}

	private static Map<String, Object> job(String runId, Task task, Track track, SandboxLimits limits) {
		Map<String, Object> job = new LinkedHashMap<>();
		job.put("runId", runId);
		job.put("task", task.id());
		job.put("track", track.id());
		job.put("outputLimitBytes", limits.outputBytes());
		job.put("wallSeconds", limits.wallTime().toSeconds());
		return job;
	}

	private static byte[] tar(Map<String, byte[]> entries, Set<String> executable) {
		var bytes = new ByteArrayOutputStream();
		try (var tar = new TarArchiveOutputStream(bytes)) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
				var header = new TarArchiveEntry(entry.getKey());
				header.setSize(entry.getValue().length);
				header.setMode(executable.contains(entry.getKey()) ? 0755 : 0644);
				tar.putArchiveEntry(header);
				tar.write(entry.getValue());
				tar.closeArchiveEntry();
			}
			tar.finish();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
