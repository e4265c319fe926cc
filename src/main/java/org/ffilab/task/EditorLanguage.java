package org.ffilab.task;

import java.util.Map;

/** The editor's highlighting language for a file, by its extension. */
final class EditorLanguage {

	private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("py", "python"),
			Map.entry("c", "c"), Map.entry("h", "c"), Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"),
			Map.entry("hpp", "cpp"), Map.entry("rs", "rust"), Map.entry("go", "go"), Map.entry("js", "javascript"),
			Map.entry("mjs", "javascript"), Map.entry("java", "java"), Map.entry("toml", "toml"),
			Map.entry("gyp", "javascript"), Map.entry("json", "javascript"));

	private EditorLanguage() {
	}

	static String of(String fileName) {
		int dot = fileName.lastIndexOf('.');
		String extension = (dot >= 0) ? fileName.substring(dot + 1) : "";
		return BY_EXTENSION.getOrDefault(extension, "text");
	}

}
