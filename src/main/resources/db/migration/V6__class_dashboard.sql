-- The teacher's dashboard: a read model the classroom package builds from the runs' events (RunAccepted,
-- RunEnded), so it never reads the run table. Rows are per student, not per class: a student in two classes
-- shows the same work in both, and joining a class later brings the work done before.

-- Every run of a student, for the live feed; outcome (pass, fail, error) is empty until the run ends.
CREATE TABLE progress_run (
    run_id      VARCHAR(36)  PRIMARY KEY,
    user_id     BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id     VARCHAR(100) NOT NULL,
    track_id    VARCHAR(100) NOT NULL,
    outcome     VARCHAR(10),
    accepted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX progress_run_user_idx ON progress_run (user_id, accepted_at);

-- One cell of the matrix: a student's best outcome on a task (pass > fail > error), how many runs ended, when
-- the first pass came, and the latest run (the cell links to it).
CREATE TABLE task_progress (
    user_id         BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id         VARCHAR(100) NOT NULL,
    best_outcome    VARCHAR(10)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    first_passed_at TIMESTAMP WITH TIME ZONE,
    last_run_id     VARCHAR(36)  NOT NULL,
    last_outcome    VARCHAR(10)  NOT NULL,
    last_run_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, task_id)
);

-- The finding kinds (grading.FindingKind) a student's runs of a task had, and in how many runs.
CREATE TABLE task_finding (
    user_id      BIGINT       NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id      VARCHAR(100) NOT NULL,
    kind         VARCHAR(100) NOT NULL,
    runs         INTEGER      NOT NULL,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (user_id, task_id, kind)
);

-- The benchmark numbers of a student's latest passing run of each track of a task.
CREATE TABLE task_metric (
    user_id         BIGINT           NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    task_id         VARCHAR(100)     NOT NULL,
    track_id        VARCHAR(100)     NOT NULL,
    name            VARCHAR(200)     NOT NULL,
    metric_value    DOUBLE PRECISION NOT NULL,
    unit            VARCHAR(40)      NOT NULL,
    lower_is_better BOOLEAN          NOT NULL,
    run_id          VARCHAR(36)      NOT NULL,
    PRIMARY KEY (user_id, task_id, track_id, name)
);
