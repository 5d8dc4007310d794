package dev.galley.server.prices;

import dev.galley.core.billing.RateCard;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Handle;
import dev.galley.server.db.Transactions;

/**
 * The rate card as core's {@link RateCard}. {@link #fresh} reads it in the caller's transaction (the closer fixes run
 * prices with it); {@link #recent} may be up to a second old, for estimates shown to users, so that reading a job
 * does not read the whole card every time. A price version takes effect at its {@code effective_from}, never earlier,
 * and estimates are estimates: a second of staleness changes nothing anyone is charged.
 */
public final class RateCards {
    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private final Transactions tx;
    private final PriceRepository prices;
    private final LongSupplier nanoTime;
    private volatile RateCard cached;
    private volatile long loadedAt;

    public RateCards(Transactions tx, PriceRepository prices) {
        this(tx, prices, System::nanoTime);
    }

    RateCards(Transactions tx, PriceRepository prices, LongSupplier nanoTime) {
        this.tx = tx;
        this.prices = prices;
        this.nanoTime = nanoTime;
    }

    public RateCard fresh(Handle h) {
        return RateCard.of(prices.all(h).stream().map(PriceRow::version).toList());
    }

    public RateCard recent() {
        RateCard card = cached;
        long now = nanoTime.getAsLong();
        if (card == null || now - loadedAt > MAX_AGE_NANOS) {
            card = tx.withHandle(this::fresh);
            cached = card;
            loadedAt = now;
        }
        return card;
    }

    /** Forgets the cached card (after this replica added a price). */
    public void invalidate() {
        cached = null;
    }
}
