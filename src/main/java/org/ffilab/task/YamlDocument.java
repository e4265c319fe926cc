package org.ffilab.task;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** A YAML mapping read from a content file, with typed getters whose errors name the file and key. */
final class YamlDocument {

	private final Path file;

	private final Map<?, ?> values;

	private YamlDocument(Path file, Map<?, ?> values) {
		this.file = file;
		this.values = values;
	}

	static YamlDocument parse(Path file, String yaml) {
		Object loaded;
		try {
			loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException ex) {
			throw new ContentException(file, "invalid YAML: " + ex.getMessage(), ex);
		}
		if (!(loaded instanceof Map<?, ?> map)) {
			throw new ContentException(file, "expected a YAML mapping of keys to values");
		}
		return new YamlDocument(file, map);
	}

	String requiredString(String key) {
		Object value = this.values.get(key);
		if (!(value instanceof String text) || text.isBlank()) {
			throw new ContentException(this.file, "'" + key + "' must be a non-empty string");
		}
		return text.strip();
	}

	List<String> stringList(String key, boolean required) {
		Object value = this.values.get(key);
		if (value == null && !required) {
			return List.of();
		}
		if (!(value instanceof List<?> list) || (required && list.isEmpty())) {
			throw new ContentException(this.file, "'" + key + "' must be a " + (required ? "non-empty " : "")
					+ "list of strings");
		}
		for (Object item : list) {
			if (!(item instanceof String)) {
				throw new ContentException(this.file, "'" + key + "' has an item that is not a string: " + item);
			}
		}
		return list.stream().map(String.class::cast).toList();
	}

	Integer optionalInt(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return null;
		}
		if (!(value instanceof Integer number) || number <= 0) {
			throw new ContentException(this.file, "'" + key + "' must be a positive whole number");
		}
		return number;
	}

	boolean has(String key) {
		return this.values.get(key) != null;
	}

	YamlDocument optionalSection(String key) {
		Object value = this.values.get(key);
		if (value == null) {
			return new YamlDocument(this.file, Map.of());
		}
		if (!(value instanceof Map<?, ?> map)) {
			throw new ContentException(this.file, "'" + key + "' must be a mapping");
		}
		return new YamlDocument(this.file, map);
	}

}
