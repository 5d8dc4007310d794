-- Every new job and every status change of a job (placement, start, finish) wrote an entry into each index of
-- `jobs`: a status change cannot be a HOT update, because status and updated_at are indexed. Six of the
-- fifteen indexes only served list filters that are rarely used on large accounts (task and the five resource
-- fields). Those filters still work: the list walks the account's (account_uuid, created_at) index and checks
-- the filter on each row, which is fast while matches are common and costs a scan of the account's jobs when
-- they are rare. Cooks and placements, which every user pays for, each write six index entries fewer.
DROP INDEX jobs_account_task_created_idx;
DROP INDEX jobs_account_cpu_idx;
DROP INDEX jobs_account_gpu_idx;
DROP INDEX jobs_account_ram_idx;
DROP INDEX jobs_account_vram_idx;
DROP INDEX jobs_account_storage_idx;
