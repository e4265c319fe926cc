package org.ffilab.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A job archive as the server would send it, plus one entry that tries to leave the work
 * directory: the harness must refuse the whole job before it writes anything.
 */
final class HostileArchive {

	private static final String JOB = """
			{"runId": "hostile", "task": "00-hostile", "track": "python", "editable": ["main.py"],
			 "outputLimitBytes": 65536, "wallSeconds": 10}""";

	private static final String CHECK = """
			def run(c):
			    c.step("run", ["python3", "main.py"], test="runs")
			""";

	private HostileArchive() {
	}

	/** The archive with a regular file named {@code name} (kept verbatim, even when absolute). */
	static byte[] withFile(String name) {
		return archive(file(name, "owned\n"));
	}

	/** The archive with a symbolic link {@code name} pointing at {@code target}. */
	static byte[] withLink(String name, String target) {
		var link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
		link.setLinkName(target);
		return archive(new Entry(link, new byte[0]));
	}

	private static Entry file(String name, String content) {
		byte[] data = content.getBytes(StandardCharsets.UTF_8);
		var header = new TarArchiveEntry(name, true);
		header.setSize(data.length);
		header.setMode(0644);
		return new Entry(header, data);
	}

	private static byte[] archive(Entry hostile) {
		var bytes = new ByteArrayOutputStream();
		try (var tar = new TarArchiveOutputStream(bytes)) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			for (Entry entry : new Entry[] { file("job.json", JOB), file("check.py", CHECK),
					file("student/main.py", "print('hello')\n"), hostile }) {
				tar.putArchiveEntry(entry.header());
				tar.write(entry.data());
				tar.closeArchiveEntry();
			}
			tar.finish();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	private record Entry(TarArchiveEntry header, byte[] data) {
	}

}
