package org.ffilab.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which waiting run starts next, so that no student can fill the sandboxes: a student has at most one run in a
 * sandbox, the student who has had the fewest runs lately goes first (ties: the run that waited longest), and a
 * newer run of the same student, task and track takes the place of one still waiting.
 *
 * <p>
 * "Lately" is start-time fair queuing: every owner has a count of runs started, and the lab a level, the count
 * of the last owner it served. An owner the lab has not seen (or not since it was level) counts as the level,
 * never below it, so a student who comes back after a pause does not get a burst of runs ahead of the others,
 * and counts at or below the level can be forgotten: the map holds only the owners served at the current level.
 *
 * <p>
 * Not thread-safe: {@link RunQueue} calls it under its lock.
 */
final class FairShare<J> {

	/**
	 * A run waiting for a sandbox.
	 *
	 * @param owner whose run it is: the user id, or something unique for runs that belong to nobody
	 * @param reserved the run holds one of the queue's places (runs recovered at start-up do not)
	 * @param job what to carry out on a worker
	 */
	record Waiting<J>(String runId, Object owner, String taskId, String trackId, boolean reserved, J job) {

		Waiting {
			Objects.requireNonNull(runId, "runId");
			Objects.requireNonNull(owner, "owner");
		}

		boolean sameWorkAs(Waiting<?> other) {
			return this.owner.equals(other.owner) && Objects.equals(this.taskId, other.taskId)
					&& Objects.equals(this.trackId, other.trackId);
		}

	}

	/** In the order they arrived (a replacement goes to the end: it arrived now). */
	private final List<Waiting<J>> waiting = new ArrayList<>();

	private final Set<Object> running = new HashSet<>();

	private final Map<Object, Long> started = new HashMap<>();

	private long level;

	/** Adds a run; returns the run of the same owner, task and track it replaced, if one was waiting. */
	Optional<Waiting<J>> add(Waiting<J> run) {
		Optional<Waiting<J>> replaced = Optional.empty();
		for (int i = 0; i < this.waiting.size(); i++) {
			if (this.waiting.get(i).sameWorkAs(run)) {
				replaced = Optional.of(this.waiting.remove(i));
				break;
			}
		}
		this.waiting.add(run);
		return replaced;
	}

	/**
	 * The run to start now, or empty when every waiting run's owner already has one in a sandbox. Its owner counts
	 * as running until {@link #ended}.
	 */
	Optional<Waiting<J>> next() {
		int best = -1;
		long bestCount = Long.MAX_VALUE;
		for (int i = 0; i < this.waiting.size(); i++) {
			Object owner = this.waiting.get(i).owner();
			if (this.running.contains(owner)) {
				continue;
			}
			long count = count(owner);
			if (count < bestCount) {
				best = i;
				bestCount = count;
			}
		}
		if (best < 0) {
			return Optional.empty();
		}
		Waiting<J> run = this.waiting.remove(best);
		this.level = bestCount;
		this.started.put(run.owner(), bestCount + 1);
		this.running.add(run.owner());
		forgetCountsAtTheLevel();
		return Optional.of(run);
	}

	/** The owner's run left its sandbox. */
	void ended(Object owner) {
		this.running.remove(owner);
	}

	int waiting() {
		return this.waiting.size();
	}

	/** Owners the policy keeps a count for (bounded: those served at the current level). */
	int remembered() {
		return this.started.size();
	}

	private long count(Object owner) {
		return Math.max(this.started.getOrDefault(owner, 0L), this.level);
	}

	/** A count at or below the level means the same as no count at all. */
	private void forgetCountsAtTheLevel() {
		this.started.values().removeIf((count) -> count <= this.level);
	}

}
