package org.ffilab.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The queue with real worker threads; jobs hold their worker until the test lets them end. */
class RunQueueTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RunQueue queue = new RunQueue(
			new RunProperties(2, 3, new RunProperties.RateLimit(0, Duration.ofSeconds(6))));

	private final List<String> started = new CopyOnWriteArrayList<>();

	private final Map<String, CountDownLatch> release = new ConcurrentHashMap<>();

	private final Consumer<String> job = (id) -> {
		this.started.add(id);
		try {
			latch(id).await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	};

	@AfterEach
	void stop() {
		this.release.values().forEach(CountDownLatch::countDown);
		this.queue.shutdown();
	}

	@Test
	void aFreeWorkerDoesNotTakeASecondRunOfAStudentWhoseFirstIsRunning() {
		submit("a1", 1L, "01");
		submit("a2", 1L, "02");
		submit("b1", 2L, "01");
		// Both workers busy: Alice's first and Bob's, although Alice's second came before Bob's.
		await().atMost(WAIT).until(() -> this.started.size() == 2);
		assertThat(this.started).containsExactlyInAnyOrder("a1", "b1");
		assertThat(this.queue.waiting()).isEqualTo(1);
		end("a1");
		await().atMost(WAIT).until(() -> this.started.contains("a2"));
	}

	@Test
	void theReplacedRunNeverRunsAndItsPlaceIsFreed() {
		submit("b1", 2L, "01");
		submit("c1", 3L, "01");
		await().atMost(WAIT).until(() -> this.started.size() == 2);
		submit("a1", 1L, "01");
		assertThat(this.queue.tryReserve()).isTrue();
		assertThat(this.queue.submitReserved(run("a2", 1L, "01"), this.job)).contains("a1");
		// 2 workers + 3 places: b1, c1 and a2 hold three, a1's was given back.
		assertThat(this.queue.tryReserve()).isTrue();
		assertThat(this.queue.tryReserve()).isTrue();
		assertThat(this.queue.tryReserve()).isFalse();
		end("b1");
		await().atMost(WAIT).until(() -> this.started.contains("a2"));
		assertThat(this.started).doesNotContain("a1");
	}

	@Test
	void aWorkerWhoseJobThrowsTakesTheNextRun() {
		this.queue.submitRecovered(run("x", 1L, "01"), (id) -> {
			this.started.add(id);
			throw new IllegalStateException("the database went away");
		});
		this.queue.submitRecovered(run("y", 1L, "02"), (id) -> {
			this.started.add(id);
			throw new IllegalStateException("still away");
		});
		submit("z", 1L, "03");
		await().atMost(WAIT).until(() -> this.started.contains("z"));
		assertThat(this.started).containsExactly("x", "y", "z");
	}

	private void submit(String id, Long user, String task) {
		assertThat(this.queue.tryReserve()).as("a place for %s", id).isTrue();
		assertThat(this.queue.submitReserved(run(id, user, task), this.job)).isEmpty();
	}

	private void end(String id) {
		latch(id).countDown();
	}

	private CountDownLatch latch(String id) {
		return this.release.computeIfAbsent(id, (k) -> new CountDownLatch(1));
	}

	private static Run run(String id, Long user, String task) {
		return Run.queued(id, task, "python", Map.of(), Instant.now(), user, null);
	}

}
