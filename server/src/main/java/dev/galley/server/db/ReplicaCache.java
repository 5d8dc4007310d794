package dev.galley.server.db;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Rows one replica keeps in memory so a hot path need not read them again: each for at most {@code maxAge}, and
 * evicted on every replica when it changes, by the change's NOTIFY ({@link Signals}) calling {@link #invalidate}. A
 * row that is not found is never cached: one just created on another replica must be found at once. Past
 * {@code maxEntries} the cache starts over (forgetting only costs a read per row).
 */
public final class ReplicaCache<K, V> {
    private record Held<V>(V value, long loadedAtNanos) {}

    private final long maxAgeNanos;
    private final int maxEntries;
    private final ConcurrentHashMap<K, Held<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    public ReplicaCache(Duration maxAge, int maxEntries) {
        this.maxAgeNanos = maxAge.toNanos();
        this.maxEntries = maxEntries;
    }

    /** The cached value, or {@code load}'s (cached unless missing). */
    public Optional<V> get(K key, Supplier<Optional<V>> load) {
        Held<V> held = entries.get(key);
        if (held != null && System.nanoTime() - held.loadedAtNanos() < maxAgeNanos) return Optional.of(held.value());
        long before = invalidations.get();
        long loadedAt = System.nanoTime();
        Optional<V> loaded = load.get();
        // A change that landed while this row was read may be missing from it: then it serves this request only.
        if (invalidations.get() != before) return loaded;
        if (entries.size() >= maxEntries) entries.clear();
        loaded.ifPresentOrElse(v -> entries.put(key, new Held<>(v, loadedAt)), () -> entries.remove(key));
        return loaded;
    }

    public void invalidate(K key) {
        invalidations.incrementAndGet();
        entries.remove(key);
    }
}
