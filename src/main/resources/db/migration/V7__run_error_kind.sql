-- V7: main already has V3 (accounts) and V6 (class dashboard), and V5 is taken by a branch in flight.
-- Why a run ended in ERROR (INFRASTRUCTURE, INTERNAL, UNAVAILABLE): the browser offers Retry for
-- INFRASTRUCTURE. Rows from before have none: they stay without a Retry button.
ALTER TABLE run ADD COLUMN error_kind VARCHAR(20);

-- A retry runs the stored files of a failed run again; at most one retry per run, so a repeated
-- request (a double click, a second tab) finds the retry it already made.
ALTER TABLE run ADD COLUMN retry_of VARCHAR(36);
CREATE UNIQUE INDEX run_retry_of_idx ON run (retry_of);
