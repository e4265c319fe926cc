package org.ffilab.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ffilab.run.FairShare.Waiting;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FairShareTests {

	private final FairShare<String> fair = new FairShare<>();

	@Test
	void aStudentsSecondRunWaitsBehindAnotherStudentsFirst() {
		add("a1", "alice", "01");
		assertThat(next()).contains("a1");
		add("a2", "alice", "02");
		add("b1", "bob", "01");
		this.fair.ended("alice");
		// Alice's second run came first, but Bob has had no run yet.
		assertThat(next()).contains("b1");
		this.fair.ended("bob");
		assertThat(next()).contains("a2");
	}

	@Test
	void oneRunPerStudentInASandbox() {
		add("a1", "alice", "01");
		add("a2", "alice", "02");
		assertThat(next()).contains("a1");
		assertThat(next()).as("Alice's second run, with Alice's first still running").isEmpty();
		add("b1", "bob", "01");
		assertThat(next()).contains("b1");
		this.fair.ended("alice");
		assertThat(next()).contains("a2");
	}

	@Test
	void aNewerRunOfTheSameWorkReplacesTheWaitingOne() {
		add("b1", "bob", "01");
		assertThat(next()).contains("b1");
		assertThat(add("a1", "alice", "01")).isEmpty();
		assertThat(add("a2", "alice", "01")).contains("a1");
		assertThat(add("a3", "alice", "01")).contains("a2");
		assertThat(this.fair.waiting()).isEqualTo(1);
		assertThat(next()).contains("a3");
		assertThat(next()).isEmpty();
	}

	@Test
	void anotherTaskOrTrackOrStudentIsNotReplaced() {
		assertThat(add("a1", "alice", "01")).isEmpty();
		assertThat(add("a2", "alice", "02")).isEmpty();
		assertThat(this.fair.add(new Waiting<>("a3", "alice", "01", "rust", true, "job"))).isEmpty();
		assertThat(add("b1", "bob", "01")).isEmpty();
		assertThat(this.fair.waiting()).isEqualTo(4);
	}

	@Test
	void aRunningRunIsNotReplaced() {
		add("a1", "alice", "01");
		assertThat(next()).contains("a1");
		assertThat(add("a2", "alice", "01")).isEmpty();
		this.fair.ended("alice");
		assertThat(next()).contains("a2");
	}

	@Test
	void withOneSandboxStudentsTakeTurns() {
		// Alice submits four runs of different tasks at once; Bob and Carol one each, a little later.
		for (int i = 1; i <= 4; i++) {
			add("a" + i, "alice", "0" + i);
		}
		add("b1", "bob", "01");
		add("c1", "carol", "01");
		add("b2", "bob", "02");
		assertThat(serveOneAtATime()).containsExactly("a1", "b1", "c1", "a2", "b2", "a3", "a4");
	}

	@Test
	void aStudentWhoComesBackAfterAPauseGetsNoBurstAheadOfTheOthers() {
		// Bob ran once long ago; Alice has run ten times since.
		add("b0", "bob", "01");
		next();
		this.fair.ended("bob");
		for (int i = 0; i < 10; i++) {
			add("a" + i, "alice", "01");
			next();
			this.fair.ended("alice");
		}
		add("a10", "alice", "01");
		add("a11", "alice", "02");
		add("b1", "bob", "01");
		add("b2", "bob", "02");
		add("b3", "bob", "03");
		// Bob is counted at Alice's level, not by his one old run (that would give him three runs in a row
		// before her): he goes first, then they alternate.
		assertThat(serveOneAtATime()).containsExactly("b1", "a10", "b2", "a11", "b3");
	}

	@Test
	void runsThatBelongToNobodyDoNotBlockEachOther() {
		add("old1", "run:old1", "01");
		add("old2", "run:old2", "01");
		assertThat(next()).contains("old1");
		assertThat(next()).contains("old2");
	}

	@Test
	void itRemembersOnlyTheStudentsServedAtTheCurrentLevel() {
		for (int round = 0; round < 50; round++) {
			for (int student = 0; student < 40; student++) {
				add("r" + round + "s" + student, "s" + student, "01");
			}
			serveOneAtATime();
		}
		assertThat(this.fair.remembered()).isLessThanOrEqualTo(40);
		// A student seen once long ago and forgotten is counted at the level, like anyone new.
		add("late", "newcomer", "01");
		add("again", "s0", "01");
		assertThat(serveOneAtATime()).containsExactly("late", "again");
	}

	private Optional<String> add(String id, String owner, String task) {
		return this.fair.add(new Waiting<>(id, owner, task, "python", true, "job")).map(Waiting::runId);
	}

	private Optional<String> next() {
		return this.fair.next().map(Waiting::runId);
	}

	/** Serves every waiting run with a single sandbox: each ends before the next starts. */
	private List<String> serveOneAtATime() {
		List<String> order = new ArrayList<>();
		Optional<Waiting<String>> run;
		while ((run = this.fair.next()).isPresent()) {
			order.add(run.get().runId());
			this.fair.ended(run.get().owner());
		}
		return order;
	}

}
