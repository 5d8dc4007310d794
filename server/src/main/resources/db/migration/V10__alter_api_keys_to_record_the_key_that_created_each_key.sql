-- Spec §8: a key never out-reaches the key that made it, and revoking a key revokes the keys it made.
-- The limits (expiry, allowed IPs) are copied into the child when it is created; the parent is recorded so a
-- revocation can walk down to every descendant. NULL: the bootstrap key, and keys made before this column existed.
-- Keys are never deleted, so the foreign key costs nothing on the hot path (authentication reads one row).
ALTER TABLE api_keys ADD COLUMN created_by_key_uuid uuid REFERENCES api_keys (uuid);
CREATE INDEX api_keys_created_by_key_idx ON api_keys (created_by_key_uuid) WHERE created_by_key_uuid IS NOT NULL;
