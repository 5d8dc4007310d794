package dev.galley.server.auth;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** One-time nonces, shared by every replica through the primary key of request_nonces. */
public final class NonceRepository {
    /** @return false when the (key, nonce) pair was already used */
    public boolean claim(Handle h, String publicKey, String nonce) {
        return h.createUpdate("INSERT INTO request_nonces (public_key, nonce) VALUES (:pk, :nonce) ON CONFLICT DO NOTHING")
                .bind("pk", publicKey).bind("nonce", nonce).execute() == 1;
    }

    /**
     * Claims many (key, nonce) pairs in one statement.
     *
     * @return the pairs that were fresh, as {@code "<public key> <nonce>"}; a pair given twice is fresh once
     */
    public java.util.Set<String> claimAll(Handle h, String[] publicKeys, String[] nonces) {
        if (publicKeys.length == 0) return java.util.Set.of();
        return new java.util.HashSet<>(h.createQuery("""
                INSERT INTO request_nonces (public_key, nonce)
                SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:nonces AS text[]))
                ON CONFLICT DO NOTHING
                RETURNING public_key || ' ' || nonce""")
                .bind("keys", publicKeys).bind("nonces", nonces).mapTo(String.class).list());
    }

    /** Deletes nonces older than {@code before}; they can no longer be replayed because their timestamp is stale. */
    public int sweep(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM request_nonces WHERE seen_at < :before").bind("before", before).execute();
    }
}
