package dev.galley.console;

import dev.galley.client.ApiKeyPair;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Server-side console sessions. The cookie holds 256 random bits; the database holds only their SHA-256, the
 * key's secret sealed under the master key, and a CSRF token. A session ends at sign-out, after {@code idle}
 * without a request, or {@code absolute} after sign-in, whichever comes first.
 */
final class Sessions {
    /** last_seen_at is written at most this often per session, not on every page view. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(15);

    private final Transactions tx;
    private final SessionRepository repo;
    private final SecretBox box;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final SecureRandom random = new SecureRandom();

    Sessions(Transactions tx, SessionRepository repo, SecretBox box, Clock clock, Duration idle, Duration absolute) {
        this.tx = tx;
        this.repo = repo;
        this.box = box;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** A new session for a key that has just authenticated; returns the cookie value. */
    String open(ApiKeyPair key) {
        String cookie = randomToken();
        Instant now = clock.instant();
        var row = new SessionRow(sha256(cookie), key.publicKey(), box.encrypt(key.secretKey()), randomToken(), now, now,
                now.plus(absolute));
        tx.useHandle(h -> repo.insert(h, row));
        return cookie;
    }

    /** The live session the cookie names; an ended one is deleted on the way and reads as none. */
    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 100) return Optional.empty();
        byte[] id = sha256(cookie);
        Instant now = clock.instant();
        Optional<SessionRow> row = tx.withHandle(h -> repo.find(h, id));
        if (row.isEmpty()) return Optional.empty();
        SessionRow r = row.get();
        if (!now.isBefore(r.expiresAt()) || !now.isBefore(r.lastSeenAt().plus(idle))) {
            tx.useHandle(h -> repo.delete(h, id));
            return Optional.empty();
        }
        if (!now.isBefore(r.lastSeenAt().plus(TOUCH_EVERY))) tx.useHandle(h -> repo.touch(h, id, now));
        return Optional.of(new Session(id, new ApiKeyPair(r.publicKey(), box.decrypt(r.sealedSecret())), r.csrfToken()));
    }

    /** Sign-out: the row goes, so the cookie opens nothing from now on, on every replica. */
    void close(Session s) {
        tx.useHandle(h -> repo.delete(h, s.idSha256()));
    }

    int sweep() {
        Instant now = clock.instant();
        return tx.withHandle(h -> repo.sweep(h, now, now.minus(idle)));
    }

    Duration absolute() {
        return absolute;
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String cookie) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
