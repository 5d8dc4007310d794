package dev.galley.server.auth;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/** One-time nonces, shared by every replica through the primary key of request_nonces. */
public final class NonceRepository {
    /**
     * Claims a request's nonce. On its own (autocommit), as every signed request but a create or cook does, the claim
     * commits without waiting for the disk: {@code set_config(…, true)} sets {@code synchronous_commit = off} for the
     * statement's own transaction, so a read or a heartbeat does not wait for an fsync. The claim is visible to every
     * replica at once all the same, and it becomes durable with the first synchronous commit after it (WAL is one
     * sequence): so the claim of any request whose effect was committed survives a crash with that effect. A crash can
     * lose only claims of requests that changed nothing durable (reads, heartbeats, refused requests), which then could
     * be replayed once, within the signature's clock window, after the restart. Inside a caller's transaction the
     * claim is a plain insert, so it cannot relax that transaction.
     *
     * @return false when the (key, nonce) pair was already used
     */
    public boolean claim(Handle h, String publicKey, String nonce) {
        String sql = h.isInTransaction()
                ? "INSERT INTO request_nonces (public_key, nonce) VALUES (:pk, :nonce) ON CONFLICT DO NOTHING"
                : """
                  INSERT INTO request_nonces (public_key, nonce)
                  SELECT :pk, :nonce FROM (SELECT set_config('synchronous_commit', 'off', true)) AS not_waiting_for_disk
                  ON CONFLICT DO NOTHING""";
        return h.createUpdate(sql).bind("pk", publicKey).bind("nonce", nonce).execute() == 1;
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
