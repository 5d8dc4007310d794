-- The GPU registry: models a job can ask for by name, alias or uuid.
CREATE TABLE gpu_models (
    uuid        uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    vendor      text NOT NULL,
    vram_gb     numeric(8,2) NOT NULL,
    aliases     text[] NOT NULL DEFAULT '{}',
    is_seeded   boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gpu_models_vram_idx ON gpu_models (vram_gb);
