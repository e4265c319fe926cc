-- Benchmark numbers of each track's reference solution, measured in the same image as the
-- students' runs, shown next to theirs. Keyed by the image id so a rebuilt image is measured again.
CREATE TABLE reference_metric (
    task_id         VARCHAR(100)     NOT NULL,
    track_id        VARCHAR(100)     NOT NULL,
    image_id        VARCHAR(100)     NOT NULL,
    name            VARCHAR(200)     NOT NULL,
    metric_value    DOUBLE PRECISION NOT NULL,
    unit            VARCHAR(40)      NOT NULL,
    lower_is_better BOOLEAN          NOT NULL,
    measured_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (task_id, track_id, image_id, name)
);
