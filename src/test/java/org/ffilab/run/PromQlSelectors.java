package org.ffilab.run;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series selectors of a PromQL expression: metric names and their equality matchers. Enough
 * PromQL for the dashboard's queries (functions, aggregations with by/without, binary operators,
 * ranges and Grafana's $__ variables); it is a drift check, not a parser.
 */
final class PromQlSelectors {

	/** Ranges ([5m], [$__rate_interval]) and grouping clauses name no series. */
	private static final Pattern NOT_SERIES = Pattern
		.compile("\\[[^\\]]*\\]|\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

	/** A name not inside a number, with its optional label block; followed by "(" it is a function. */
	private static final Pattern SELECTOR = Pattern
		.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?(\\s*\\()?");

	private static final Pattern MATCHER = Pattern
		.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
			"on", "ignoring", "group_left", "group_right", "inf", "nan");

	private PromQlSelectors() {
	}

	static Set<Selector> of(String expression) {
		String series = NOT_SERIES.matcher(expression).replaceAll(" ");
		Set<Selector> selectors = new LinkedHashSet<>();
		Matcher matcher = SELECTOR.matcher(series);
		while (matcher.find()) {
			String name = matcher.group(1);
			boolean function = matcher.group(3) != null && matcher.group(2) == null;
			if (function || KEYWORDS.contains(name.toLowerCase())) {
				continue;
			}
			Map<String, String> equal = new TreeMap<>();
			if (matcher.group(2) != null) {
				Matcher label = MATCHER.matcher(matcher.group(2));
				while (label.find()) {
					if (label.group(2).equals("=")) {
						equal.put(label.group(1), label.group(3));
					}
				}
			}
			selectors.add(new Selector(name, equal));
		}
		return selectors;
	}

	/** A metric name with the labels it must have (equality matchers only). */
	record Selector(String metric, Map<String, String> labels) {

		@Override
		public String toString() {
			return this.metric + this.labels;
		}

	}

}
