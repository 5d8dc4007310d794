-- Hardware events (spec §10): the load samples nodes send with their heartbeats, at most one per node per
-- GALLEY_TELEMETRY_INTERVAL, deleted after GALLEY_TELEMETRY_RETENTION by a sweep (HardwareEventRetention).
-- created_at is the sample's time (timestamp_ms, never later than its receipt), so lists page and filter on it.
CREATE TABLE node_hardware_events (
    uuid          uuid PRIMARY KEY,
    node_uuid     uuid NOT NULL REFERENCES nodes (uuid) ON DELETE CASCADE,
    timestamp_ms  bigint NOT NULL,
    sample        jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX node_hardware_events_node_time_idx ON node_hardware_events (node_uuid, created_at, uuid);
-- The retention sweep deletes by time across all nodes.
CREATE INDEX node_hardware_events_time_idx ON node_hardware_events (timestamp_ms);

-- The node's newest stored event is kept on its row: the heartbeat reads its time to decide whether a sample is
-- kept without a second query, and the node object shows it without a join. Until now latest_hardware_event held
-- the last heartbeat's raw metadata; that is not an event, so it is cleared.
ALTER TABLE nodes ADD COLUMN latest_hardware_event_ms bigint;
UPDATE nodes SET latest_hardware_event = NULL;
