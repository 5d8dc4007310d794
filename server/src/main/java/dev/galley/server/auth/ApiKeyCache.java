package dev.galley.server.auth;

import dev.galley.core.auth.PermissionSet;
import dev.galley.core.net.IpRange;
import dev.galley.server.db.ReplicaCache;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Known keys in memory (decrypted secret, parsed permissions and IP ranges), so a signed request costs one
 * database statement (its nonce) instead of three. Entries live 10 s at most; a revocation evicts the key on
 * every replica at once (see {@code Signals}), so a revoked key is refused from then on. Unknown keys are
 * never cached: a key just created on another replica must work at once. Revoking a key revokes the keys below it,
 * and each of them is evicted the same way.
 */
public final class ApiKeyCache {
    public record Entry(ApiKeyRow row, String secret, PermissionSet permissions, List<IpRange> allowed) {}

    private final ReplicaCache<String, Entry> entries = new ReplicaCache<>(Duration.ofSeconds(10), Integer.MAX_VALUE);
    /** Last time each key's last_used_at was written, so that write happens at most once a minute. */
    private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();

    public Optional<Entry> get(String publicKey, Supplier<Optional<Entry>> load) {
        return entries.get(publicKey, load);
    }

    /** True when last_used_at should be written now (first use, or more than a minute since the last write). */
    public boolean shouldTouch(String publicKey, long nowMs) {
        Long last = touched.get(publicKey);
        if (last != null && nowMs - last < 60_000) return false;
        touched.put(publicKey, nowMs);
        return true;
    }

    public void invalidate(String publicKey) {
        entries.invalidate(publicKey);
    }

}
