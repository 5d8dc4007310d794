-- The placement benchmark spent most of a round inserting runs and updating jobs. Each foreign-key check
-- takes a KEY SHARE lock on the referenced row: 10,000 new runs locked 10,000 job rows and 10,000 node rows
-- per round, and every cook locked its account's row (concurrent cooks of one account then share a
-- multixact on it). Jobs, runs, nodes and accounts are never deleted, and these rows are only ever written
-- by code that has just read the rows they point to, so the checks bought nothing.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_job_uuid_fkey;
ALTER TABLE job_runs DROP CONSTRAINT job_runs_node_uuid_fkey;
ALTER TABLE jobs DROP CONSTRAINT jobs_account_uuid_fkey;

-- Same columns as the UNIQUE (job_uuid, node_index, attempt) constraint's index.
DROP INDEX job_runs_job_idx;
