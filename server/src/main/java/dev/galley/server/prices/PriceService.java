package dev.galley.server.prices;

import dev.galley.core.billing.PriceResource;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/** The rate card (spec §9): listed by anyone who may read jobs or prices; a new version is appended, never edited. */
public final class PriceService {
    /** A price version to add; {@code gpuModel} for resource gpu only, {@code effectiveFrom} null for now. */
    public record NewPrice(PriceResource resource, GpuModel gpuModel, BigDecimal amountPerHour, Instant effectiveFrom) {}

    private final Transactions tx;
    private final PriceRepository prices;
    private final RateCards rateCards;
    private final GpuCatalogCache gpus;
    private final String currency;
    private final Clock clock;

    public PriceService(Transactions tx, PriceRepository prices, RateCards rateCards, GpuCatalogCache gpus, String currency,
                        Clock clock) {
        this.tx = tx;
        this.prices = prices;
        this.rateCards = rateCards;
        this.gpus = gpus;
        this.currency = currency;
        this.clock = clock;
    }

    /** Every version, or with {@code inForce} only those in force now. */
    public ListSql.Page<PriceRow> list(ListQuery q, boolean inForce) {
        Instant now = now();
        return tx.withHandle(h -> prices.list(h, q, inForce ? now : null));
    }

    /** Appends the version and forgets this replica's cached card, so estimates here use it from its start. */
    public PriceRow add(NewPrice p, UUID createdByKey) {
        Instant now = now();
        var row = new PriceRow(UUID.randomUUID(), 0, p.resource(), p.gpuModel() == null ? null : p.gpuModel().uuid(), null,
                p.amountPerHour(), currency, p.effectiveFrom() == null ? now : p.effectiveFrom().truncatedTo(ChronoUnit.MILLIS), now);
        PriceRow stored = tx.inTransaction(h -> {
            prices.insert(h, row, createdByKey);
            return prices.byUuid(h, row.uuid()).orElseThrow();
        });
        rateCards.invalidate();
        return stored;
    }

    /** A GPU model of the registry by uuid or by name or alias; reloads once for a model another replica just added. */
    public Optional<GpuModel> gpuModel(UUID uuid, String name) {
        var catalog = gpus.current();
        Optional<GpuModel> m = uuid != null ? catalog.byUuid(uuid) : catalog.byNameOrAlias(name);
        if (m.isPresent()) return m;
        catalog = gpus.reload();
        return uuid != null ? catalog.byUuid(uuid) : catalog.byNameOrAlias(name);
    }

    public String currency() {
        return currency;
    }

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
