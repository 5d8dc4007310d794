-- Nodes: machines running the agent. Capacity columns are what the node reported; free capacity is
-- capacity minus what its active runs hold (computed, never stored, so it cannot drift).
CREATE TABLE nodes (
    uuid                   uuid PRIMARY KEY,
    account_uuid           uuid NOT NULL REFERENCES accounts (uuid),
    name                   text NOT NULL,
    region_code            text NOT NULL,
    public_host            text NOT NULL,
    agent_version          text NOT NULL,
    status                 text NOT NULL CHECK (status IN ('ONLINE', 'OFFLINE', 'DRAINING')),
    hardware               jsonb NOT NULL,
    cpu_cores              integer NOT NULL,
    ram_gb                 double precision NOT NULL,
    storage_gb             double precision NOT NULL,
    reputation             integer NOT NULL DEFAULT 50,
    latest_hardware_event  jsonb,
    last_seen_at           timestamptz NOT NULL,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    UNIQUE (account_uuid, name)
);
CREATE INDEX nodes_status_idx ON nodes (status, last_seen_at);
CREATE INDEX nodes_account_created_idx ON nodes (account_uuid, created_at, uuid);
CREATE INDEX nodes_created_idx ON nodes (created_at, uuid);

CREATE TABLE node_gpus (
    node_uuid     uuid NOT NULL REFERENCES nodes (uuid) ON DELETE CASCADE,
    device_index  integer NOT NULL,
    gpu_uuid      uuid NOT NULL REFERENCES gpu_models (uuid),
    name          text NOT NULL,
    vram_gb       double precision NOT NULL,
    PRIMARY KEY (node_uuid, device_index)
);
CREATE INDEX node_gpus_gpu_idx ON node_gpus (gpu_uuid);

-- One run = one attempt of one node index of a job on one node.
CREATE TABLE job_runs (
    uuid                uuid PRIMARY KEY,
    job_uuid            uuid NOT NULL REFERENCES jobs (uuid),
    account_uuid        uuid NOT NULL,
    node_uuid           uuid NOT NULL REFERENCES nodes (uuid),
    node_index          integer NOT NULL,
    attempt             integer NOT NULL,
    status              text NOT NULL,
    status_reason       text,
    status_reason_code  text,
    exit_code           integer,
    cpu_count           integer NOT NULL,
    ram_gb              double precision NOT NULL,
    storage_gb          double precision NOT NULL,
    gpu_devices         integer[] NOT NULL DEFAULT '{}',
    node_urls           jsonb NOT NULL DEFAULT '[]',
    is_active           boolean NOT NULL DEFAULT true,
    stop_requested      boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    assigned_at         timestamptz NOT NULL,
    started_at          timestamptz,
    completed_at        timestamptz,
    UNIQUE (job_uuid, node_index, attempt)
);
CREATE INDEX job_runs_job_idx ON job_runs (job_uuid, node_index, attempt);
CREATE INDEX job_runs_node_active_idx ON job_runs (node_uuid) WHERE is_active;
CREATE INDEX job_runs_account_created_idx ON job_runs (account_uuid, created_at, uuid);
CREATE INDEX job_runs_status_idx ON job_runs (status, updated_at) WHERE is_active;

CREATE TABLE job_run_logs (
    job_run_uuid  uuid NOT NULL REFERENCES job_runs (uuid),
    seq           bigserial,
    chunk         text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_run_uuid, seq)
);

-- Every GPU on an ONLINE node, and whether an active run holds it.
CREATE VIEW gpu_inventory AS
SELECT g.gpu_uuid, g.node_uuid, g.device_index,
       NOT EXISTS (SELECT 1 FROM job_runs r
                   WHERE r.node_uuid = g.node_uuid AND r.is_active AND g.device_index = ANY (r.gpu_devices)) AS is_free
FROM node_gpus g JOIN nodes n ON n.uuid = g.node_uuid
WHERE n.status = 'ONLINE';
