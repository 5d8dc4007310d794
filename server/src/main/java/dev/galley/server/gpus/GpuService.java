package dev.galley.server.gpus;

import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import java.util.UUID;

/** Reads the GPU registry with live counts (shared reference data: every reader sees all of it). */
public final class GpuService {
    private final Transactions tx;
    private final GpuRepository gpus;

    public GpuService(Transactions tx, GpuRepository gpus) {
        this.tx = tx;
        this.gpus = gpus;
    }

    public ListSql.Page<GpuRow> list(ListQuery q) {
        return tx.withHandle(h -> gpus.list(h, q));
    }

    public GpuRow get(UUID uuid) {
        return tx.withHandle(h -> gpus.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("gpu"));
    }
}
