-- One row per submission: kept from the moment it is accepted, whatever happens to the run.
CREATE TABLE run (
    id              VARCHAR(36)  PRIMARY KEY,
    task_id         VARCHAR(100) NOT NULL,
    track_id        VARCHAR(100) NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    files_json      TEXT         NOT NULL,
    output          TEXT,
    verdict_json    TEXT,
    error           TEXT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    first_output_at TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE
);

CREATE INDEX run_status_idx ON run (status);
CREATE INDEX run_task_idx ON run (task_id, track_id, created_at);
