package org.ffilab.classroom;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import org.ffilab.account.Accounts;
import org.ffilab.classroom.DashboardView.Cell;
import org.ffilab.classroom.DashboardView.FeedEntry;
import org.ffilab.classroom.DashboardView.Student;
import org.ffilab.run.RunAccepted;
import org.ffilab.run.RunEnded;
import org.ffilab.run.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the dashboard's read model up to date from the runs' events and tells the watching teachers, in the
 * thread that ended the run, so a cell changes within moments of the verdict. The listeners never throw: the run
 * is stored already, and a dashboard that missed a run must not turn it into a failed one.
 */
@Component
class DashboardProjection {

	private static final Logger logger = LoggerFactory.getLogger(DashboardProjection.class);

	private final DashboardRepository dashboard;

	private final Classrooms classrooms;

	private final Accounts accounts;

	private final DashboardMessages messages;

	private final TransactionTemplate transaction;

	private final ObjectMapper json;

	/**
	 * A cell is read, changed and written back; runs end on several workers at once. One server runs the lab
	 * (the broker and the queue live in its memory), so one lock is enough, and each update takes milliseconds.
	 */
	private final ReentrantLock lock = new ReentrantLock();

	DashboardProjection(DashboardRepository dashboard, Classrooms classrooms, Accounts accounts,
			DashboardMessages messages, TransactionTemplate transaction, ObjectMapper json) {
		this.dashboard = dashboard;
		this.classrooms = classrooms;
		this.accounts = accounts;
		this.messages = messages;
		this.transaction = transaction;
		this.json = json;
	}

	@EventListener
	void runAccepted(RunAccepted accepted) {
		if (accepted.userId() == null) {
			return;
		}
		try {
			long studentId = accepted.userId();
			if (this.dashboard.insertRun(accepted.runId(), studentId, accepted.taskId(), accepted.trackId(),
					accepted.acceptedAt())) {
				List<Long> classes = this.classrooms.classIdsOfStudent(studentId);
				if (!classes.isEmpty()) {
					this.messages.runAccepted(classes, student(studentId),
							new FeedEntry(accepted.runId(), studentId, accepted.taskId(), accepted.trackId(), null,
									accepted.acceptedAt(), null));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.error("The dashboard could not record the start of run {}", accepted.runId(), ex);
		}
	}

	@EventListener
	void runEnded(RunEnded ended) {
		if (ended.userId() == null) {
			return;
		}
		if (ended.status() == RunStatus.SUPERSEDED) {
			// It never ran (a newer run of the same work took its place): no attempt, and no longer in the feed. Open
			// dashboards drop it at their next snapshot.
			try {
				this.dashboard.deleteRun(ended.runId());
			}
			catch (RuntimeException ex) {
				logger.error("The dashboard could not drop the replaced run {}", ended.runId(), ex);
			}
			return;
		}
		try {
			GradedRun run = GradedRun.of(ended, this.json);
			Optional<Cell> cell = record(run);
			if (cell.isEmpty()) {
				return;
			}
			List<Long> classes = this.classrooms.classIdsOfStudent(run.studentId());
			if (!classes.isEmpty()) {
				this.messages.runEnded(classes, student(run.studentId()),
						this.dashboard.findRun(run.runId()).orElseThrow(), cell.get(),
						this.dashboard.findings(run.studentId(), run.taskId()),
						this.dashboard.metrics(run.studentId(), run.taskId(), run.trackId()));
			}
		}
		catch (RuntimeException ex) {
			logger.error("The dashboard could not record the end of run {}", ended.runId(), ex);
		}
	}

	@TransactionalEventListener(fallbackExecution = true)
	void studentJoined(StudentJoined joined) {
		try {
			this.messages.studentJoined(joined.classId(), student(joined.studentId()));
		}
		catch (RuntimeException ex) {
			logger.error("The dashboard of class {} could not be told of a new student", joined.classId(), ex);
		}
	}

	/** Stores an ended run; the cell as it is now, or empty if this run was recorded before. */
	private Optional<Cell> record(GradedRun run) {
		this.lock.lock();
		try {
			return this.transaction.execute((status) -> {
				Optional<FeedEntry> known = this.dashboard.findRun(run.runId());
				if (known.isPresent() && known.get().outcome() != null) {
					return Optional.<Cell>empty();
				}
				if (known.isEmpty()) {
					// Accepted before the dashboard existed, or its start was missed: it shows as of its end.
					this.dashboard.insertRun(run.runId(), run.studentId(), run.taskId(), run.trackId(), run.endedAt());
				}
				this.dashboard.endRun(run.runId(), run.outcome(), run.endedAt());
				Optional<TaskProgress> before = this.dashboard.findProgress(run.studentId(), run.taskId());
				TaskProgress after = before
					.map((progress) -> progress.after(run.outcome(), run.runId(), run.endedAt()))
					.orElseGet(() -> TaskProgress.first(run.studentId(), run.taskId(), run.outcome(), run.runId(),
							run.endedAt()));
				this.dashboard.saveProgress(after, before.isEmpty());
				for (String kind : run.findingKinds()) {
					this.dashboard.countFinding(run.studentId(), run.taskId(), kind, run.endedAt());
				}
				if (run.outcome() == Outcome.PASS && !run.metrics().isEmpty()) {
					this.dashboard.replaceMetrics(run.studentId(), run.taskId(), run.trackId(), run.runId(),
							run.metrics());
				}
				return Optional.of(Cell.of(after));
			});
		}
		finally {
			this.lock.unlock();
		}
	}

	private Student student(long id) {
		return this.accounts.find(id)
			.map((user) -> new Student(user.id(), user.username(), user.displayName()))
			.orElseGet(() -> new Student(id, "#" + id, "#" + id));
	}

}
