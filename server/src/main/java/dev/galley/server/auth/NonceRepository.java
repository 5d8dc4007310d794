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

    /** Deletes nonces older than {@code before}; they can no longer be replayed because their timestamp is stale. */
    public int sweep(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM request_nonces WHERE seen_at < :before").bind("before", before).execute();
    }
}
