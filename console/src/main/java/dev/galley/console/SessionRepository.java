package dev.galley.console;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Every SQL statement on console_sessions. */
final class SessionRepository {
    void insert(Handle h, SessionRow r) {
        h.createUpdate("""
                INSERT INTO console_sessions (id_sha256, public_key, sealed_secret, csrf_token, created_at, last_seen_at, expires_at)
                VALUES (:id, :pk, :secret, :csrf, :created, :seen, :expires)""")
                .bind("id", r.idSha256()).bind("pk", r.publicKey()).bind("secret", r.sealedSecret())
                .bind("csrf", r.csrfToken()).bind("created", r.createdAt()).bind("seen", r.lastSeenAt())
                .bind("expires", r.expiresAt())
                .execute();
    }

    Optional<SessionRow> find(Handle h, byte[] idSha256) {
        return h.createQuery("""
                SELECT id_sha256, public_key, sealed_secret, csrf_token, created_at, last_seen_at, expires_at
                FROM console_sessions WHERE id_sha256 = :id""")
                .bind("id", idSha256)
                .map((rs, ctx) -> new SessionRow(rs.getBytes("id_sha256"), rs.getString("public_key"),
                        rs.getBytes("sealed_secret"), rs.getString("csrf_token"),
                        rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant()))
                .findOne();
    }

    void touch(Handle h, byte[] idSha256, Instant at) {
        h.createUpdate("UPDATE console_sessions SET last_seen_at = :at WHERE id_sha256 = :id")
                .bind("id", idSha256).bind("at", at).execute();
    }

    void delete(Handle h, byte[] idSha256) {
        h.createUpdate("DELETE FROM console_sessions WHERE id_sha256 = :id").bind("id", idSha256).execute();
    }

    /** Removes sessions past their absolute expiry or idle since before {@code idleBefore}. */
    int sweep(Handle h, Instant now, Instant idleBefore) {
        return h.createUpdate("DELETE FROM console_sessions WHERE expires_at <= :now OR last_seen_at < :idle")
                .bind("now", now).bind("idle", idleBefore).execute();
    }
}
