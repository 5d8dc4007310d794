-- Rows that are facts: the rate card, usage records and the ledger. A correction is a new row (a new price version,
-- an ADJUSTMENT), never an edit, so the database refuses UPDATE, DELETE and TRUNCATE on them outright: no code path,
-- bug or hand-typed statement of the application's role can rewrite what was charged.
CREATE FUNCTION refuse_changes_to_append_only_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused; add a new row instead', TG_TABLE_NAME, TG_OP;
END $$;

-- The rate card (spec §9): versioned, never edited in place. The version in force for a resource (and GPU model) at
-- an instant is the one with the latest effective_from at or before it; of two effective at the same instant, the one
-- added later (version_seq). A gpu price without a model is the default for every model without a price of its own.
CREATE TABLE prices (
    uuid                 uuid PRIMARY KEY,
    version_seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    resource             text NOT NULL CHECK (resource IN ('gpu', 'cpu_core', 'ram_gb', 'storage_gb')),
    gpu_registry_uuid    uuid REFERENCES gpu_models (uuid),
    amount_per_hour      numeric(38,6) NOT NULL CHECK (amount_per_hour >= 0),
    currency             text NOT NULL,
    effective_from       timestamptz NOT NULL,
    created_at           timestamptz NOT NULL,
    created_by_key_uuid  uuid,
    CHECK (resource = 'gpu' OR gpu_registry_uuid IS NULL)
);
CREATE INDEX prices_created_idx ON prices (created_at, uuid);

CREATE TRIGGER prices_append_only BEFORE UPDATE OR DELETE ON prices
    FOR EACH ROW EXECUTE FUNCTION refuse_changes_to_append_only_rows();
CREATE TRIGGER prices_append_only_truncate BEFORE TRUNCATE ON prices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_changes_to_append_only_rows();
