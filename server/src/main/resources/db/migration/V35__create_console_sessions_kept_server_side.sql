-- Web console sessions (spec §11). The browser holds only a random 256-bit id in a cookie; the row is keyed by its
-- SHA-256, so reading this table does not hand out live sessions. The API secret key the console signs with is
-- sealed under the master key like every stored secret. A session ends at sign-out (the row is deleted), after
-- idle_expires_at, or at expires_at, whichever comes first.
CREATE TABLE console_sessions (
    id_sha256       bytea       PRIMARY KEY,
    public_key      text        NOT NULL,
    sealed_secret   bytea       NOT NULL,
    csrf_token      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);

-- The sweep of ended sessions.
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
