-- Scheduling state. A job "wants placement" while a run slot waits for a node: at creation, and when a
-- failed node index is to be retried. The scheduler reads only these rows (partial index, oldest first).
ALTER TABLE jobs ADD COLUMN wants_placement boolean NOT NULL DEFAULT true;
ALTER TABLE jobs ADD COLUMN assign_timed_out boolean NOT NULL DEFAULT false;
ALTER TABLE jobs ADD COLUMN cancel_requested boolean NOT NULL DEFAULT false;
CREATE INDEX jobs_wants_placement_idx ON jobs (created_at, uuid) WHERE wants_placement;
CREATE INDEX jobs_assign_deadline_idx ON jobs (timeout_assign_at_ms) WHERE wants_placement;

-- Deadlines are stored as epoch ms so the reaper finds due runs with one indexed range scan.
ALTER TABLE job_runs ADD COLUMN node_account_uuid uuid;
ALTER TABLE job_runs ADD COLUMN start_deadline_ms bigint;
ALTER TABLE job_runs ADD COLUMN run_deadline_ms bigint;
ALTER TABLE job_runs ADD COLUMN log_bytes bigint NOT NULL DEFAULT 0;
CREATE INDEX job_runs_start_deadline_idx ON job_runs (start_deadline_ms) WHERE status IN ('ASSIGNED', 'PREPARING');
CREATE INDEX job_runs_run_deadline_idx ON job_runs (run_deadline_ms) WHERE status = 'RUNNING' AND run_deadline_ms IS NOT NULL;
CREATE INDEX job_runs_node_status_idx ON job_runs (node_uuid, status) WHERE is_active;
CREATE INDEX job_runs_node_account_created_idx ON job_runs (node_account_uuid, created_at, uuid);
