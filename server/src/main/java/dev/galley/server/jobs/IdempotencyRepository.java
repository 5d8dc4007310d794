package dev.galley.server.jobs;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Stored first responses for Idempotency-Key (24 h per account). */
public final class IdempotencyRepository {
    public record Stored(String requestHash, int status, byte[] body) {}

    /** Serialises requests carrying the same key until the first one commits. */
    public void lock(Handle h, UUID account, String key) {
        h.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 42))", account + "/" + key);
    }

    public Optional<Stored> find(Handle h, UUID account, String key, Instant notBefore) {
        return h.createQuery("""
                SELECT request_hash, response_status, response_body FROM idempotency_keys
                WHERE account_uuid = :a AND idempotency_key = :k AND created_at >= :since""")
                .bind("a", account).bind("k", key).bind("since", notBefore)
                .map((rs, ctx) -> new Stored(rs.getString(1), rs.getInt(2), rs.getBytes(3))).findOne();
    }

    public void save(Handle h, UUID account, String key, String requestHash, int status, byte[] body, Instant now) {
        h.createUpdate("""
                INSERT INTO idempotency_keys (account_uuid, idempotency_key, request_hash, response_status, response_body, created_at)
                VALUES (:a, :k, :hash, :status, :body, :now)
                ON CONFLICT (account_uuid, idempotency_key) DO UPDATE
                SET request_hash = :hash, response_status = :status, response_body = :body, created_at = :now""")
                .bind("a", account).bind("k", key).bind("hash", requestHash).bind("status", status)
                .bind("body", body).bind("now", now).execute();
    }

    public int sweep(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :before").bind("before", before).execute();
    }
}
