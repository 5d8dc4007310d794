-- Run output is capped per run (GALLEY_LOG_RETENTION_BYTES) and read from its tail. Each chunk records where
-- it ends in everything the run ever printed (end_offset, in bytes), and the run records how much it printed
-- (log_bytes) and where its kept output starts (log_start_offset: the bytes dropped from the front). Reading
-- the last MiB and dropping the oldest chunks are then index range scans, never a scan of the whole log.
ALTER TABLE job_run_logs ADD COLUMN end_offset bigint;
UPDATE job_run_logs l SET end_offset = x.end_offset
FROM (SELECT job_run_uuid, seq, sum(octet_length(chunk)) OVER (PARTITION BY job_run_uuid ORDER BY seq) AS end_offset
      FROM job_run_logs) x
WHERE l.job_run_uuid = x.job_run_uuid AND l.seq = x.seq;
ALTER TABLE job_run_logs ALTER COLUMN end_offset SET NOT NULL;

-- The offset orders the chunks as seq did, so it becomes the key and seq goes (one index per append, not two).
ALTER TABLE job_run_logs DROP CONSTRAINT job_run_logs_pkey;
ALTER TABLE job_run_logs ADD PRIMARY KEY (job_run_uuid, end_offset);
ALTER TABLE job_run_logs DROP COLUMN seq;

UPDATE job_runs r SET log_bytes = x.total
FROM (SELECT job_run_uuid, max(end_offset) AS total FROM job_run_logs GROUP BY job_run_uuid) x
WHERE r.uuid = x.job_run_uuid;
ALTER TABLE job_runs ADD COLUMN log_start_offset bigint NOT NULL DEFAULT 0;
