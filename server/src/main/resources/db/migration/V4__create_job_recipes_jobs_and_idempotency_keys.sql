-- Recipes keep their payload with secrets masked; the real secret values live encrypted in `secrets`
-- (a JSON object of JSON Pointer -> value, AES-GCM under the master key).
CREATE TABLE job_recipes (
    uuid                     uuid PRIMARY KEY,
    account_uuid             uuid NOT NULL REFERENCES accounts (uuid),
    name                     text NOT NULL,
    description              text,
    visibility               text NOT NULL CHECK (visibility IN ('PRIVATE', 'PUBLIC', 'ARCHIVED')),
    payload                  jsonb NOT NULL,
    secrets                  bytea,
    input_schema             jsonb NOT NULL DEFAULT '[]',
    quickstart_md            text,
    thumbnail_url            text,
    is_official              boolean NOT NULL DEFAULT false,
    forked_from_recipe_uuid  uuid,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    last_used_at             timestamptz
);
CREATE INDEX job_recipes_account_created_idx ON job_recipes (account_uuid, created_at, uuid);
CREATE INDEX job_recipes_public_created_idx ON job_recipes (created_at, uuid) WHERE visibility = 'PUBLIC';

-- Filterable fields are columns (with indexes); the whole normalised job spec, secrets masked, is `spec`.
CREATE TABLE jobs (
    uuid                    uuid PRIMARY KEY,
    account_uuid            uuid NOT NULL REFERENCES accounts (uuid),
    status                  text NOT NULL,
    status_reason           text,
    status_reason_code      text,
    title                   text NOT NULL,
    task                    text NOT NULL,
    cpu_count               integer NOT NULL,
    gpu_count               integer NOT NULL,
    min_ram_gb              double precision NOT NULL,
    min_vram_gb             double precision NOT NULL,
    min_storage_gb          double precision NOT NULL,
    spec                    jsonb NOT NULL,
    secrets                 bytea,
    source_recipe_uuid      uuid,
    container_access_token  text NOT NULL,
    timeout_assign_at_ms    bigint,
    image_size_bytes        bigint,
    node_count              integer,
    cancel_reason           text,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    started_at              timestamptz,
    completed_at            timestamptz,
    version                 integer NOT NULL DEFAULT 0
);
CREATE INDEX jobs_account_created_idx ON jobs (account_uuid, created_at, uuid);
CREATE INDEX jobs_account_updated_idx ON jobs (account_uuid, updated_at, uuid);
CREATE INDEX jobs_account_status_created_idx ON jobs (account_uuid, status, created_at, uuid);
CREATE INDEX jobs_account_task_created_idx ON jobs (account_uuid, task, created_at, uuid);
CREATE INDEX jobs_account_cpu_idx ON jobs (account_uuid, cpu_count);
CREATE INDEX jobs_account_gpu_idx ON jobs (account_uuid, gpu_count);
CREATE INDEX jobs_account_ram_idx ON jobs (account_uuid, min_ram_gb);
CREATE INDEX jobs_account_vram_idx ON jobs (account_uuid, min_vram_gb);
CREATE INDEX jobs_account_storage_idx ON jobs (account_uuid, min_storage_gb);
CREATE INDEX jobs_source_recipe_idx ON jobs (source_recipe_uuid, created_at) WHERE source_recipe_uuid IS NOT NULL;
CREATE INDEX jobs_created_idx ON jobs (created_at, uuid);

-- Idempotency-Key: the first response to (account, key) is kept for 24 h and replayed for retries.
CREATE TABLE idempotency_keys (
    account_uuid     uuid NOT NULL,
    idempotency_key  text NOT NULL,
    request_hash     text NOT NULL,
    response_status  integer NOT NULL,
    response_body    bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_uuid, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
