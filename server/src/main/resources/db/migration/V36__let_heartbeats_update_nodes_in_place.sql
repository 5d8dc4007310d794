-- A heartbeat writes nodes.last_seen_at every few seconds per node: the most frequent write of a fleet. With
-- last_seen_at in an index, every heartbeat was a non-HOT update: a new entry in each of the table's six indexes,
-- and dead entries in the (status, last_seen_at) range the offline sweep scans, which grew it to 100 ms at
-- 10,000 nodes. Without it a heartbeat is a HOT update (the heap page only), given free room on the page
-- (fillfactor; pages filled before this keep their layout until rewritten). The offline sweep reads the table
-- instead, a few milliseconds at 10,000 nodes; placement and the gauges read every node anyway.
DROP INDEX IF EXISTS nodes_status_idx;
ALTER TABLE nodes SET (fillfactor = 70);
