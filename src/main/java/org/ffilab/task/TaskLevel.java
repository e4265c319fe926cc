package org.ffilab.task;

import java.util.Arrays;

/** The four stages of the course, in the order a student meets them. */
public enum TaskLevel {

	WARM_UP("warm-up", "Warm-Up"), CORE("core", "Core"), ADVANCED("advanced", "Advanced"),
	CAPSTONE("capstone", "Capstone");

	private final String key;

	private final String title;

	TaskLevel(String key, String title) {
		this.key = key;
		this.title = title;
	}

	public String key() {
		return this.key;
	}

	public String title() {
		return this.title;
	}

	static TaskLevel fromKey(String key) {
		return Arrays.stream(values())
			.filter((level) -> level.key.equals(key))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(
					"unknown level '" + key + "' (expected one of warm-up, core, advanced, capstone)"));
	}

}
