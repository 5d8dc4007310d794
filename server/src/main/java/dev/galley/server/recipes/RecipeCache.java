package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Recipes as cooks read them (the row and its payload with the sealed values revealed), so that a cook neither reads
 * nor decrypts the recipe again: reading and mapping the row was a fifth of the server's CPU per cook. The same
 * rules as the API key cache: an entry lives 10 s at most, and a change or delete evicts the recipe on every replica
 * at once (see {@code Signals}), so a recipe made PRIVATE or given new credentials is cooked as changed from then
 * on. Unknown recipes are never cached: one just created on another replica must cook at once.
 */
final class RecipeCache {
    private static final long MAX_AGE_NANOS = 10_000_000_000L;
    /** Past this many recipes the cache starts over: forgetting only costs a read per recipe. */
    private static final int MAX_ENTRIES = 10_000;

    /** The stored row and its revealed payload; hand out copies of the payload, which cooking changes. */
    record Entry(RecipeRow row, ObjectNode revealedPayload, long loadedAtNanos) {}

    private final ConcurrentHashMap<UUID, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    Optional<Entry> get(UUID recipe, Supplier<Optional<Entry>> load) {
        Entry e = entries.get(recipe);
        if (e != null && System.nanoTime() - e.loadedAtNanos() < MAX_AGE_NANOS) return Optional.of(e);
        long before = invalidations.get();
        Optional<Entry> loaded = load.get();
        // A change that landed while this row was read may be missing from it: it serves this request only.
        if (invalidations.get() != before) return loaded;
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        loaded.ifPresentOrElse(v -> entries.put(recipe, v), () -> entries.remove(recipe));
        return loaded;
    }

    void invalidate(UUID recipe) {
        invalidations.incrementAndGet();
        entries.remove(recipe);
    }
}
