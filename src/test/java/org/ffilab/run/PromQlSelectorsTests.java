package org.ffilab.run;

import java.util.Map;

import org.ffilab.run.PromQlSelectors.Selector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlSelectorsTests {

	@Test
	void findsTheSeriesBehindFunctionsAggregationsAndRanges() {
		assertThat(PromQlSelectors.of("histogram_quantile(0.95, sum by (le, phase) "
				+ "(rate(ffilab_run_phase_seconds_bucket{phase=\"queue_wait\", le!=\"1\"}[$__rate_interval])))"))
			.containsExactly(new Selector("ffilab_run_phase_seconds_bucket", Map.of("phase", "queue_wait")));
	}

	@Test
	void findsBothSidesOfABinaryOperatorAndSkipsNumbersAndKeywords() {
		assertThat(PromQlSelectors.of("sum(rate(a_sum[5m])) / sum(rate(a_count[5m])) * 1e3 > bool 0 "
				+ "and on (instance) up{job=~\"ffi.*\"}"))
			.containsExactly(new Selector("a_sum", Map.of()), new Selector("a_count", Map.of()),
					new Selector("up", Map.of()));
	}

	@Test
	void aBareGaugeIsASelector() {
		assertThat(PromQlSelectors.of("ffilab_runs_queued")).containsExactly(new Selector("ffilab_runs_queued", Map.of()));
	}

}
