package dev.galley.server.idempotency;

import dev.galley.core.auth.CanonicalRequest;
import dev.galley.core.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
}
