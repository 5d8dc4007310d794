-- Prep hours (spec §10) are the time a run spent PREPARING (pulling its image, setting up): from preparing_at to
-- started_at (RUNNING), or to completed_at when it ended before running.
ALTER TABLE job_runs ADD COLUMN preparing_at timestamptz;
-- The epoch finalizer and the reputation loop read the runs that ended after a point in time.
CREATE INDEX job_runs_completed_idx ON job_runs (completed_at) WHERE completed_at IS NOT NULL;
