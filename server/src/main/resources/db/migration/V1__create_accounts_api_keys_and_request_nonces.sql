-- Accounts own keys, recipes, jobs and nodes.
CREATE TABLE accounts (
    uuid        uuid PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_created_at_idx ON accounts (created_at, uuid);
CREATE UNIQUE INDEX accounts_name_idx ON accounts (name);

-- Secret keys are needed to verify HMACs, so they cannot be hashed: they are stored AES-GCM encrypted
-- under the master key (secret_ciphertext = nonce || ciphertext || tag).
CREATE TABLE api_keys (
    uuid               uuid PRIMARY KEY,
    account_uuid       uuid NOT NULL REFERENCES accounts (uuid),
    name               text NOT NULL,
    public_key         text NOT NULL UNIQUE,
    secret_ciphertext  bytea NOT NULL,
    permissions        text[] NOT NULL,
    allowed_ips        text[] NOT NULL DEFAULT '{}',
    expires_at         timestamptz,
    is_revoked         boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_used_at       timestamptz
);
CREATE INDEX api_keys_account_created_idx ON api_keys (account_uuid, created_at, uuid);

-- One row per (key, nonce) seen inside the time window. The primary key makes reuse detection atomic
-- across every control-plane replica sharing this database. Rows older than the window are swept.
CREATE TABLE request_nonces (
    public_key  text NOT NULL,
    nonce       text NOT NULL,
    seen_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (public_key, nonce)
);
CREATE INDEX request_nonces_seen_at_idx ON request_nonces (seen_at);
