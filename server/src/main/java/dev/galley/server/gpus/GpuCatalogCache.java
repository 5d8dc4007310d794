package dev.galley.server.gpus;

import dev.galley.core.gpu.GpuCatalog;
import dev.galley.server.db.Transactions;

/**
 * The registry as a {@link GpuCatalog}, cached: it changes rarely (seeded; grown by node registrations).
 * A miss reloads before the caller reports "unknown model", so a model added by another replica is found.
 */
public final class GpuCatalogCache {
    private static final long MAX_AGE_NANOS = 30_000_000_000L;
    private final Transactions tx;
    private final GpuRepository gpus;
    private volatile GpuCatalog catalog;
    private volatile long loadedAt;

    public GpuCatalogCache(Transactions tx, GpuRepository gpus) {
        this.tx = tx;
        this.gpus = gpus;
    }

    public GpuCatalog current() {
        GpuCatalog c = catalog;
        if (c == null || System.nanoTime() - loadedAt > MAX_AGE_NANOS) c = reload();
        return c;
    }

    public GpuCatalog reload() {
        GpuCatalog c = new GpuCatalog(tx.withHandle(gpus::all));
        catalog = c;
        loadedAt = System.nanoTime();
        return c;
    }
}
