-- How far each started run has been metered, in a table of its own: the closer locks these rows (FOR UPDATE SKIP
-- LOCKED, one batch per transaction on every replica) and never the job_runs rows that nodes update on the hot path.
-- price_per_hour, gpu_name and gpu_count are fixed at the run's first close, from the rate card in force at
-- started_at and the GPUs the run holds, so a later price version or a node re-registering changes nothing charged.
-- A meter is deleted in the transaction that records the run's last period: the table holds only runs still to
-- meter (it stays small), and a run whose meter is gone can never be metered again.
CREATE TABLE run_meters (
    job_run_uuid    uuid PRIMARY KEY,
    started_at      timestamptz NOT NULL,
    metered_until   timestamptz NOT NULL,
    price_per_hour  numeric(38,6),
    gpu_name        text,
    gpu_count       integer,
    CHECK (metered_until >= started_at)
);
CREATE INDEX run_meters_metered_until_idx ON run_meters (metered_until);

-- A meter opens in the same transaction that records a run's start (started_at set once, on RUNNING): nothing in
-- the application's request paths changes, the closer never has to search job_runs for runs it does not know yet,
-- and a crash can never leave a started run without a meter. The WHEN clause keeps every other update of a run free.
CREATE FUNCTION open_run_meter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO run_meters (job_run_uuid, started_at, metered_until) VALUES (NEW.uuid, NEW.started_at, NEW.started_at)
    ON CONFLICT (job_run_uuid) DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER job_runs_open_meter_on_start AFTER UPDATE OF started_at ON job_runs FOR EACH ROW
    WHEN (OLD.started_at IS NULL AND NEW.started_at IS NOT NULL) EXECUTE FUNCTION open_run_meter();
CREATE TRIGGER job_runs_open_meter_on_insert AFTER INSERT ON job_runs FOR EACH ROW
    WHEN (NEW.started_at IS NOT NULL) EXECUTE FUNCTION open_run_meter();

-- Runs already running when metering arrives are metered from now on: time before billing existed is not charged.
INSERT INTO run_meters (job_run_uuid, started_at, metered_until)
SELECT uuid, started_at, greatest(started_at, now()) FROM job_runs WHERE is_active AND started_at IS NOT NULL;
