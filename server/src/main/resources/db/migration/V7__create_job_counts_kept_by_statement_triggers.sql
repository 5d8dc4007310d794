-- Exact job totals without COUNT(*) over millions of rows. Each statement that inserts, updates or deletes
-- jobs appends its net change per (account, status) to job_count_deltas (statement-level triggers with
-- transition tables: one small insert per statement, no hot row that concurrent cooks would queue on). A
-- housekeeping loop folds deltas into job_counts in one atomic statement. The total of a status-only list is
-- sum(job_counts) + sum(job_count_deltas): exact in every snapshot.
CREATE TABLE job_counts (
    account_uuid  uuid NOT NULL,
    status        text NOT NULL,
    n             bigint NOT NULL,
    PRIMARY KEY (account_uuid, status)
);

CREATE TABLE job_count_deltas (
    id            bigserial PRIMARY KEY,
    account_uuid  uuid NOT NULL,
    status        text NOT NULL,
    delta         bigint NOT NULL
);
CREATE INDEX job_count_deltas_account_status_idx ON job_count_deltas (account_uuid, status);

CREATE FUNCTION jobs_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_deltas (account_uuid, status, delta)
    SELECT account_uuid, status, count(*) FROM new_rows GROUP BY account_uuid, status;
    RETURN NULL;
END $$;

CREATE FUNCTION jobs_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_deltas (account_uuid, status, delta)
    SELECT account_uuid, status, sum(d) FROM (
        SELECT account_uuid, status, 1 AS d FROM new_rows
        UNION ALL
        SELECT account_uuid, status, -1 AS d FROM old_rows) x
    GROUP BY account_uuid, status HAVING sum(d) <> 0;
    RETURN NULL;
END $$;

CREATE FUNCTION jobs_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_count_deltas (account_uuid, status, delta)
    SELECT account_uuid, status, -count(*) FROM old_rows GROUP BY account_uuid, status;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_count_inserted AFTER INSERT ON jobs REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_inserted();
CREATE TRIGGER jobs_count_updated AFTER UPDATE ON jobs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_updated();
CREATE TRIGGER jobs_count_deleted AFTER DELETE ON jobs REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_count_deleted();

INSERT INTO job_counts (account_uuid, status, n)
SELECT account_uuid, status, count(*) FROM jobs GROUP BY account_uuid, status;
