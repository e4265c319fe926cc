package org.ffilab.grading;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.ffilab.grading.Verdict.Finding;
import org.ffilab.grading.Verdict.Frame;

/**
 * The real tool reports captured from our images (src/test/resources/reports/<tool>/, see the
 * README there), and a shorthand to run a parser on one.
 */
final class GoldenReports {

	private GoldenReports() {
	}

	/** A report by its path under reports/; ".gz" files are unpacked. */
	static String read(String path) {
		try (InputStream raw = GoldenReports.class.getResourceAsStream("/reports/" + path)) {
			if (raw == null) {
				throw new IllegalArgumentException("no golden report " + path);
			}
			InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every golden report, as "tool/name". */
	static List<String> all() {
		try {
			Path root = Path.of(GoldenReports.class.getResource("/reports").toURI());
			try (Stream<Path> files = Files.walk(root)) {
				return files.filter(Files::isRegularFile)
					.map((file) -> root.relativize(file).toString().replace('\\', '/'))
					.filter((name) -> name.contains("/"))
					.sorted()
					.toList();
			}
		}
		catch (IOException | URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static FindingSink parse(ReportParser parser, String path, List<String> editable, List<String> support) {
		FindingSink sink = new FindingSink(new StudentFiles(editable, support));
		parser.parse(read(path), sink);
		return sink;
	}

	static FindingSink parse(ReportParser parser, String path, String... editable) {
		return parse(parser, path, List.of(editable), List.of());
	}

	static Frame frame(String file, Integer line, String function, boolean student) {
		return new Frame(file, line, function, student);
	}

	/** The first frame in the student's files. */
	static Frame firstStudentFrame(Finding finding) {
		return finding.frames().stream().filter(Frame::student).findFirst().orElse(null);
	}

}
