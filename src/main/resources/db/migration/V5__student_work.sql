-- A student's own work beside their runs: the editor's draft per task and track (so a reload, another browser or a
-- lost connection loses nothing) and the self-check items they ticked per task.

CREATE TABLE student_draft (
    user_id    BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id    VARCHAR(100) NOT NULL,
    track_id   VARCHAR(100) NOT NULL,
    files_json TEXT         NOT NULL,
    saved_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, task_id, track_id)
);

-- item_index is the item's place in the task's selfCheck list (task.md), from 0.
CREATE TABLE self_check_tick (
    user_id    BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id    VARCHAR(100) NOT NULL,
    item_index INTEGER      NOT NULL,
    ticked_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, task_id, item_index)
);

-- A run's outcome (pass, fail or error: the verdict's status), so "has this student passed the task" is a query and
-- not a parse of every stored verdict. Empty until the run ends.
ALTER TABLE run ADD COLUMN outcome VARCHAR(10);

-- Runs that ended before this column: a stored verdict is grading.Verdict as Jackson writes it, status first.
UPDATE run SET outcome = 'pass' WHERE verdict_json LIKE '{"status":"pass"%';
UPDATE run SET outcome = 'fail' WHERE verdict_json LIKE '{"status":"fail"%';
UPDATE run SET outcome = 'error' WHERE outcome IS NULL AND status IN ('FINISHED', 'ERROR');
