-- Node status history (spec §10, compute epochs): one row per stretch a node spent ONLINE, DRAINING or OFFLINE.
-- A trigger keeps it, so every path that changes nodes.status (registration, heartbeat, drain/resume, the reaper
-- marking silent nodes OFFLINE) is recorded, in the same transaction, and the heartbeat hot path pays nothing unless
-- the status changes. A change happens at the row's new updated_at (every status-changing statement sets it to the
-- application clock), except that an OFFLINE stretch starts at last_seen_at: the node was gone from its last
-- heartbeat, not from when the reaper noticed.
CREATE TABLE node_status_spans (
    node_uuid   uuid NOT NULL REFERENCES nodes (uuid) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('ONLINE', 'OFFLINE', 'DRAINING')),
    started_at  timestamptz NOT NULL,
    ended_at    timestamptz,
    CHECK (ended_at IS NULL OR ended_at >= started_at),
    PRIMARY KEY (node_uuid, started_at, status)
);
-- One open span per node.
CREATE UNIQUE INDEX node_status_spans_open_idx ON node_status_spans (node_uuid) WHERE ended_at IS NULL;
-- The finalizer reads the spans overlapping an epoch.
CREATE INDEX node_status_spans_end_idx ON node_status_spans (ended_at) WHERE ended_at IS NOT NULL;

CREATE FUNCTION nodes_status_span_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO node_status_spans (node_uuid, status, started_at) VALUES (NEW.uuid, NEW.status, NEW.created_at);
    RETURN NULL;
END $$;

CREATE FUNCTION nodes_status_span_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    open_since timestamptz;
    at timestamptz;
BEGIN
    SELECT started_at INTO open_since FROM node_status_spans WHERE node_uuid = NEW.uuid AND ended_at IS NULL;
    at := CASE WHEN NEW.status = 'OFFLINE' THEN OLD.last_seen_at ELSE NEW.updated_at END;
    -- Never before the open span began (clocks of two replicas may differ by a little).
    IF open_since IS NOT NULL AND at < open_since THEN at := open_since; END IF;
    UPDATE node_status_spans SET ended_at = at WHERE node_uuid = NEW.uuid AND ended_at IS NULL;
    INSERT INTO node_status_spans (node_uuid, status, started_at) VALUES (NEW.uuid, NEW.status, at)
    ON CONFLICT (node_uuid, started_at, status) DO UPDATE SET ended_at = NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER nodes_status_span_insert AFTER INSERT ON nodes
    FOR EACH ROW EXECUTE FUNCTION nodes_status_span_inserted();
CREATE TRIGGER nodes_status_span_update AFTER UPDATE OF status ON nodes
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION nodes_status_span_changed();

-- Nodes that exist already: their current status, from when it was last set (as well as we know).
INSERT INTO node_status_spans (node_uuid, status, started_at)
SELECT uuid, status, CASE WHEN status = 'OFFLINE' THEN LEAST(last_seen_at, updated_at) ELSE updated_at END FROM nodes;
