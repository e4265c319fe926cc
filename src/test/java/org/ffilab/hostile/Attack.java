package org.ffilab.hostile;

import java.time.Duration;
import java.time.Instant;

import org.ffilab.run.Submission;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * One hostile submission with a well-behaved one submitted at the same moment by another student
 * (the queue runs one run per student at a time, so the two are in sandboxes side by side). While the hostile
 * run goes on, the lab's liveness is probed every 100 ms and must answer within a second; the
 * well-behaved run must pass.
 *
 * @param name the case
 * @param run the hostile run as GET /api/runs/{id} shows it at its end
 * @param wellBehaved the well-behaved run at its end
 * @param took from submitting the hostile run to seeing it ended
 * @param slowestLiveness the slowest liveness answer during the attack
 * @param livenessProbes how many liveness answers there were
 */
record Attack(String name, JsonNode run, JsonNode wellBehaved, Duration took, Duration slowestLiveness,
		int livenessProbes) {

	/** Far above what any case needs (about 12 s at most): a run this long is a hang. */
	static final Duration HANG = Duration.ofSeconds(45);

	static Attack carryOut(LabClient lab, LabClient neighbour, String name, Submission hostile,
			Submission wellBehaved) {
		long started = System.nanoTime();
		String hostileId = lab.submit(hostile.task(), hostile.track(), hostile.files());
		String goodId = neighbour.submit(wellBehaved.task(), wellBehaved.track(), wellBehaved.files());
		Duration slowest = Duration.ZERO;
		int probes = 0;
		JsonNode run;
		while (true) {
			Duration answer = lab.liveness();
			probes++;
			slowest = (answer.compareTo(slowest) > 0) ? answer : slowest;
			run = lab.run(hostileId);
			if (ended(run)) {
				break;
			}
			if (Duration.ofNanos(System.nanoTime() - started).compareTo(HANG) > 0) {
				fail("The hostile run '%s' has not ended after %s s: %s", name, HANG.toSeconds(), run);
			}
			pause(100);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		JsonNode good = neighbour.run(goodId);
		while (!ended(good)) {
			if (Duration.ofNanos(System.nanoTime() - started).compareTo(HANG) > 0) {
				fail("The well-behaved run beside '%s' has not ended: %s", name, good);
			}
			pause(100);
			good = neighbour.run(goodId);
		}
		assertThat(good.path("status").asString()).as("well-behaved run beside %s: %s", name, good)
			.isEqualTo("FINISHED");
		assertThat(good.path("verdict").path("status").asString())
			.as("the well-behaved run beside %s must pass: %s", name, good.path("verdict"))
			.isEqualTo("pass");
		return new Attack(name, run, good, took, slowest, probes);
	}

	JsonNode verdict() {
		return this.run.path("verdict");
	}

	String output() {
		return this.run.path("output").asString();
	}

	/** Seconds the sandbox took, from the run's start to its end, as the lab recorded them. */
	double sandboxSeconds() {
		return Duration.between(instant(this.run.path("startedAt")), instant(this.run.path("finishedAt"))).toMillis()
				/ 1000.0;
	}

	private static Instant instant(JsonNode time) {
		return time.isNumber() ? Instant.ofEpochMilli((long) (time.asDouble() * 1000)) : Instant.parse(time.asString());
	}

	String summary() {
		JsonNode verdict = verdict();
		String message = verdict.path("message").asString("");
		return String.format("%-28s %-8s %-14s %5.1f s (sandbox %5.1f s), liveness max %3d ms over %3d probes | %s",
				this.name, verdict.path("status").asString(), verdict.path("reason").asString("-"),
				this.took.toMillis() / 1000.0, sandboxSeconds(), this.slowestLiveness.toMillis(), this.livenessProbes,
				(message.length() > 110) ? message.substring(0, 110) + "..." : message);
	}

	private static boolean ended(JsonNode run) {
		String status = run.path("status").asString();
		return status.equals("FINISHED") || status.equals("ERROR");
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

}
