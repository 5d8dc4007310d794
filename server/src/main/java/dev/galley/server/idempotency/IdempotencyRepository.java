package dev.galley.server.idempotency;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Stored first responses for Idempotency-Key (24 h per account). */
public final class IdempotencyRepository {
    public record Stored(String requestHash, int status, byte[] body) {}

    public Optional<Stored> find(Handle h, UUID account, String key, Instant notBefore) {
        return h.createQuery("""
                SELECT request_hash, response_status, response_body FROM idempotency_keys
                WHERE account_uuid = :a AND idempotency_key = :k AND created_at >= :since""")
                .bind("a", account).bind("k", key).bind("since", notBefore)
                .map((rs, ctx) -> new Stored(rs.getString(1), rs.getInt(2), rs.getBytes(3))).findOne();
    }

    /**
     * Stores many first responses in one statement unless a live entry for the key exists; an entry older than
     * {@code expiredBefore} is replaced. Each array holds one value per key.
     *
     * @return the keys now holding these responses, as {@code "<account>/<key>"}
     */
    public Set<String> claimAll(Handle h, UUID[] accounts, String[] keys, String[] requestHashes, int status,
                                byte[][] bodies, Instant now, Instant expiredBefore) {
        String[] encoded = new String[bodies.length];
        for (int i = 0; i < bodies.length; i++) encoded[i] = java.util.Base64.getEncoder().encodeToString(bodies[i]);
        return new java.util.HashSet<>(h.createQuery("""
                INSERT INTO idempotency_keys AS k (account_uuid, idempotency_key, request_hash, response_status, response_body, created_at)
                SELECT a, key, hash, :status, decode(body, 'base64'), :now
                FROM unnest(CAST(:accounts AS uuid[]), CAST(:keys AS text[]), CAST(:hashes AS text[]), CAST(:bodies AS text[]))
                     AS u(a, key, hash, body)
                ON CONFLICT (account_uuid, idempotency_key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, response_status = EXCLUDED.response_status,
                    response_body = EXCLUDED.response_body, created_at = EXCLUDED.created_at
                WHERE k.created_at < :expired
                RETURNING account_uuid || '/' || idempotency_key""")
                .bind("accounts", accounts).bind("keys", keys).bind("hashes", requestHashes).bind("bodies", encoded)
                .bind("status", status).bind("now", now).bind("expired", expiredBefore)
                .mapTo(String.class).list());
    }

    public int sweep(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :before").bind("before", before).execute();
    }
}
