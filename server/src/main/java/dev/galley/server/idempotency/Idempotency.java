package dev.galley.server.idempotency;

import dev.galley.core.auth.CanonicalRequest;
import dev.galley.core.json.CanonicalJson;
import dev.galley.server.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The rules of Idempotency-Key shared by every write that honours it (jobs, cooks, ledger grants). */
public final class Idempotency {
    /** How long a key's first response is kept and replayed, per account. */
    public static final Duration WINDOW = Duration.ofHours(24);

    private Idempotency() {}

    /** Same key + same method/path/body = same request; the body compares in canonical JSON form when it is JSON. */
    public static String requestHash(String path, byte[] body) {
        String canonical;
        try {
            canonical = body.length == 0 ? "" : CanonicalJson.canonicalize(body);
        } catch (IllegalArgumentException notJson) {
            canonical = new String(body, StandardCharsets.UTF_8);
        }
        return CanonicalRequest.sha256Hex((path + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
    }

    /** The header's value, which must be 1 to 255 characters (null: no header). */
    public static String checkKey(String key) {
        if (key != null && (key.isEmpty() || key.length() > 255)) throw ApiException.badRequest("Idempotency-Key", "must be 1 to 255 characters");
        return key;
    }

    /**
     * The first answer stored for {@code key} (since {@code notBefore}) when this is the same request again; a 409
     * when the key was used with another request; empty when the key is new.
     */
    public static Optional<IdempotentResponse> replay(IdempotencyRepository repository, Handle h, UUID account, String key,
                                                      String requestHash, Instant notBefore) {
        return repository.find(h, account, key, notBefore).map(stored -> {
            if (!stored.requestHash().equals(requestHash)) {
                throw ApiException.conflict("Idempotency-Key '" + key + "' was already used with a different request; "
                        + "use a new key for a new request");
            }
            return new IdempotentResponse(stored.status(), stored.body());
        });
    }
}
