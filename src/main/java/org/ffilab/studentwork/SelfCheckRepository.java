package org.ffilab.studentwork;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Ticked self-check items: a row per ticked item, none for an unticked one. */
@Repository
class SelfCheckRepository {

	private final JdbcClient jdbc;

	SelfCheckRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Set<Integer> ticked(long userId, String taskId) {
		return new TreeSet<>(this.jdbc.sql("SELECT item_index FROM self_check_tick WHERE user_id = :user AND task_id = :task")
			.param("user", userId)
			.param("task", taskId)
			.query(Integer.class)
			.list());
	}

	/** Every task the student ticked an item of, with the items. */
	Map<String, Set<Integer>> tickedByTask(long userId) {
		List<Map.Entry<String, Integer>> rows = this.jdbc
			.sql("SELECT task_id, item_index FROM self_check_tick WHERE user_id = :user")
			.param("user", userId)
			.query((rs, row) -> Map.entry(rs.getString("task_id"), rs.getInt("item_index")))
			.list();
		Map<String, Set<Integer>> ticked = new LinkedHashMap<>();
		for (Map.Entry<String, Integer> row : rows) {
			ticked.computeIfAbsent(row.getKey(), (task) -> new TreeSet<>()).add(row.getValue());
		}
		return ticked;
	}

	void tick(long userId, String taskId, int item, Instant at) {
		try {
			this.jdbc.sql("""
					INSERT INTO self_check_tick (user_id, task_id, item_index, ticked_at)
					VALUES (:user, :task, :item, :at)""")
				.param("user", userId)
				.param("task", taskId)
				.param("item", item)
				.param("at", at.atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException ex) {
			// Already ticked (another tab, a repeated request): nothing to change.
		}
	}

	void untick(long userId, String taskId, int item) {
		this.jdbc.sql("DELETE FROM self_check_tick WHERE user_id = :user AND task_id = :task AND item_index = :item")
			.param("user", userId)
			.param("task", taskId)
			.param("item", item)
			.update();
	}

}
