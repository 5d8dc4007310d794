package dev.galley.server.billing;

import dev.galley.server.config.BillingConfig;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.ledger.Ledger;
import dev.galley.server.ledger.LedgerHandlers;
import dev.galley.server.ledger.LedgerRepository;
import dev.galley.server.ledger.LedgerService;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.metering.CreditStopRepository;
import dev.galley.server.metering.CreditStops;
import dev.galley.server.metering.MeterRepository;
import dev.galley.server.metering.UsageCloser;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.prices.PriceHandlers;
import dev.galley.server.prices.PriceRepository;
import dev.galley.server.prices.PriceService;
import dev.galley.server.prices.RateCards;
import dev.galley.server.usage.UsageHandlers;
import dev.galley.server.usage.UsageRepository;
import dev.galley.server.usage.UsageService;
import java.time.Clock;
import java.time.Duration;

/**
 * Billing's part of the composition root, kept out of {@code GalleyServer} so that wiring it there takes a few lines:
 * its repositories, the start-up checks ({@link BillingSetup}), the handlers of its endpoints, the closer and the service.
 */
public final class Billing {
    private final Transactions tx;
    private final BillingConfig config;
    private final GpuCatalogCache gpus;
    private final Clock clock;
    private final PriceRepository priceRepository = new PriceRepository();
    private final UsageRepository usageRepository = new UsageRepository();
    private final LedgerRepository ledgerRepository = new LedgerRepository();
    private final MeterRepository meterRepository = new MeterRepository();
    private final RateCards rateCards;
    private final Ledger ledger;
    private final PriceHandlers prices;
    private final UsageHandlers usage;
    private final LedgerHandlers ledgerHandlers;

    private Billing(Transactions tx, BillingConfig config, GpuCatalogCache gpus, IdempotencyRepository idempotency,
                    Runnable creditChanged, Clock clock) {
        this.tx = tx;
        this.config = config;
        this.gpus = gpus;
        this.clock = clock;
        this.rateCards = new RateCards(tx, priceRepository);
        this.ledger = new Ledger(ledgerRepository, config.currency());
        this.prices = new PriceHandlers(new PriceService(tx, priceRepository, rateCards, gpus, config.currency(), clock));
        this.usage = new UsageHandlers(new UsageService(tx, usageRepository, config.currency()));
        this.ledgerHandlers = new LedgerHandlers(new LedgerService(tx, ledgerRepository, ledger, idempotency, creditChanged, clock));
    }

    /**
     * Runs the start-up checks (one currency, the seeded rate card, the operator exempt) and builds the parts.
     *
     * @param creditChanged called after an operator's grant or adjustment (jobs waiting for credit may be placeable)
     */
    public static Billing wire(Transactions tx, BillingConfig config, GpuCatalogCache gpus, IdempotencyRepository idempotency,
                               Runnable creditChanged, Clock clock) {
        var billing = new Billing(tx, config, gpus, idempotency, creditChanged, clock);
        BillingSetup.prepare(tx, config, billing.priceRepository, billing.ledgerRepository, clock);
        return billing;
    }

    public PriceHandlers prices() {
        return prices;
    }

    public UsageHandlers usage() {
        return usage;
    }

    public LedgerHandlers ledger() {
        return ledgerHandlers;
    }

    /** The one writer of ledger rows, for other features that move money in their own transactions (epoch rewards). */
    public Ledger postings() {
        return ledger;
    }

    public BillingService service(Duration nodeTtl) {
        return new BillingService(tx, rateCards, gpus, usageRepository, meterRepository, ledgerRepository, config, nodeTtl, clock);
    }

    /** The usage closer, not started yet. */
    public UsageCloser closer(JobReconciler reconciler, Duration nodeTtl, Metrics metrics) {
        var stops = new CreditStops(tx, new CreditStopRepository(), reconciler, config.currency());
        return new UsageCloser(tx, meterRepository, usageRepository, ledger, ledgerRepository, rateCards, stops, config, nodeTtl,
                clock, metrics, UsageCloser.DEFAULT_BATCH);
    }
}
