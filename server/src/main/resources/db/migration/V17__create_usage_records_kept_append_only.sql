-- Usage records (spec §9): one per run and metering period, immutable once written. The unique (job_run_uuid,
-- period_start) is the second guard of "exactly once" after the closer's lock on the run's meter.
CREATE TABLE usage_records (
    uuid                   uuid PRIMARY KEY,
    account_uuid           uuid NOT NULL,
    job_uuid               uuid NOT NULL,
    job_run_uuid           uuid NOT NULL,
    node_uuid              uuid NOT NULL,
    provider_account_uuid  uuid NOT NULL,
    period_start           timestamptz NOT NULL,
    period_end             timestamptz NOT NULL,
    seconds                bigint NOT NULL CHECK (seconds > 0),
    gpu_name               text,
    gpu_count              integer NOT NULL,
    cpu_count              integer NOT NULL,
    ram_gb                 double precision NOT NULL,
    storage_gb             double precision NOT NULL,
    price_per_hour         numeric(38,6) NOT NULL CHECK (price_per_hour >= 0),
    amount                 numeric(38,6) NOT NULL CHECK (amount >= 0),
    currency               text NOT NULL,
    created_at             timestamptz NOT NULL,
    UNIQUE (job_run_uuid, period_start),
    CHECK (period_end > period_start)
);
-- Lists (the caller's own, newest first), summaries by period, an operator's view of everything, a job's cost.
-- filter[node_uuid] walks the account's index like the rare job filters do (docs/decisions.md).
CREATE INDEX usage_records_account_created_idx ON usage_records (account_uuid, created_at, uuid);
CREATE INDEX usage_records_account_period_idx ON usage_records (account_uuid, period_start);
CREATE INDEX usage_records_created_idx ON usage_records (created_at, uuid);
CREATE INDEX usage_records_job_idx ON usage_records (job_uuid, period_start);

CREATE TRIGGER usage_records_append_only BEFORE UPDATE OR DELETE ON usage_records
    FOR EACH ROW EXECUTE FUNCTION refuse_changes_to_append_only_rows();
CREATE TRIGGER usage_records_append_only_truncate BEFORE TRUNCATE ON usage_records
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_changes_to_append_only_rows();
