package dev.galley.server.metering;

import dev.galley.core.billing.CreditPolicy;
import dev.galley.core.billing.FixedPrice;
import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.MeterStep;
import dev.galley.core.billing.Metering;
import dev.galley.core.billing.PlatformFee;
import dev.galley.core.billing.RateCard;
import dev.galley.core.billing.UsagePeriod;
import dev.galley.server.config.BillingConfig;
import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.ledger.AccountBalance;
import dev.galley.server.ledger.Ledger;
import dev.galley.server.ledger.LedgerRepository;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.prices.RateCards;
import dev.galley.server.usage.UsageRepository;
import dev.galley.server.usage.UsageRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import dev.galley.server.db.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic closer (spec §9), one loop on every replica: claims meters with something to close ({@code FOR UPDATE
 * SKIP LOCKED}), and for each, in one transaction per batch, writes its usage records (core's {@link Metering}), one
 * USAGE_CHARGE and one PROVIDER_EARNING per record through the {@link Ledger}, and advances the meter.
 *
 * <p>Exactly once, across replicas, retries and crashes: a meter is closed only under its row lock, and the batch
 * commits records, ledger rows and the meter's new position together or not at all; a batch cut off by a crash or a
 * lost connection leaves every meter where it was and is simply done again. The unique (run, period start) of usage
 * records and (usage record, type) of the ledger refuse a second record or charge if anything ever went wrong anyway.
 *
 * <p>It runs every {@value #INTERVAL_MS} ms, at once again while batches come back full, and early when
 * {@link #wake()} is called (a run ended on this replica). Metering never touches the hot paths: meters open in the
 * run's RUNNING transition (a trigger) and the closer locks only meter rows and, briefly, the accounts it posts to.
 */
public final class UsageCloser implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UsageCloser.class);
    static final long INTERVAL_MS = 2_000;
    public static final int DEFAULT_BATCH = 500;

    /**
     * What one batch did: meters claimed and advanced, records written, and the running jobs a period was cut from
     * (job → account).
     */
    public record Batch(int claimed, int advanced, int records, Map<UUID, UUID> cutJobs) {
        static final Batch NONE = new Batch(0, 0, 0, Map.of());

        /** More may be due at once: a full batch that moved meters (one that moved none must not spin). */
        boolean full(int batchSize) {
            return claimed >= batchSize && advanced > 0;
        }
    }

    private final Transactions tx;
    private final MeterRepository meters;
    private final UsageRepository usage;
    private final Ledger ledger;
    private final LedgerRepository balances;
    private final RateCards rateCards;
    private final CreditStops creditStops;
    private final BillingConfig config;
    private final Duration nodeTtl;
    private final Clock clock;
    private final Metrics metrics;
    private final int batchSize;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public UsageCloser(Transactions tx, MeterRepository meters, UsageRepository usage, Ledger ledger, LedgerRepository balances,
                       RateCards rateCards, CreditStops creditStops, BillingConfig config, Duration nodeTtl, Clock clock,
                       Metrics metrics, int batchSize) {
        this.tx = tx;
        this.meters = meters;
        this.usage = usage;
        this.ledger = ledger;
        this.balances = balances;
        this.rateCards = rateCards;
        this.creditStops = creditStops;
        this.config = config;
        this.nodeTtl = nodeTtl;
        this.clock = clock;
        this.metrics = metrics;
        this.batchSize = batchSize;
    }

    /** Starts the loop on a thread of its own. */
    public UsageCloser start() {
        running = true;
        thread = Thread.ofPlatform().name("galley-usage-closer").daemon().start(this::loop);
        return this;
    }

    /** Closes what is due now instead of at the next interval (cheap: one permit, no I/O). */
    public void wake() {
        if (wakeUp.availablePermits() == 0) wakeUp.release();
    }

    private void loop() {
        while (running) {
            boolean full = false;
            try {
                full = closeBatch().full(batchSize);
            } catch (Throwable t) {
                metrics.registry().counter("galley_metering_errors_total").increment();
                if (!running) return;
                if (DatabaseOutage.isCause(t)) log.debug("metering batch failed: the database is unavailable; retrying", t);
                else log.error("metering batch failed and was rolled back; retrying", t);
            }
            if (full) continue;
            try {
                wakeUp.tryAcquire(INTERVAL_MS, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Closes one batch of due meters (and stops jobs out of credit under enforcement); safe on any number of replicas. */
    public Batch closeBatch() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Batch batch = tx.inTransaction(h -> closeIn(h, now));
        if (batch.records() > 0) metrics.registry().counter("galley_usage_records_total").increment(batch.records());
        if (!batch.cutJobs().isEmpty()) stopJobsOutOfCredit(batch.cutJobs(), now);
        return batch;
    }

    private Batch closeIn(Handle h, Instant now) {
        List<MeterRow> claimed = meters.claim(h, now, config.meteringPeriod(), batchSize);
        if (claimed.isEmpty()) return Batch.NONE;
        var pricing = new Pricing(h, claimed);
        List<UsageRow> records = new ArrayList<>();
        List<MeterRepository.Advance> advances = new ArrayList<>();
        Map<UUID, UUID> cut = new LinkedHashMap<>();
        for (MeterRow m : claimed) {
            FixedPrice price = pricing.of(m);
            MeterStep step = Metering.step(Meters.reading(m, price, now, config.meteringPeriod(), nodeTtl));
            if (step.isEmpty() && m.priced()) continue;
            for (UsagePeriod p : step.periods()) records.add(record(m, price, p, now));
            advances.add(new MeterRepository.Advance(m.jobRunUuid(), step.meteredUntil(), step.closed(), price.pricePerHour(),
                    price.gpuName(), price.gpuCount()));
            if (m.active() && !step.periods().isEmpty()) cut.put(m.jobUuid(), m.accountUuid());
        }
        Set<UUID> inserted = new HashSet<>(usage.insertAll(h, records));
        if (inserted.size() < records.size()) {
            log.warn("{} usage record(s) already existed and were not charged again (the unique guard caught them)",
                    records.size() - inserted.size());
        }
        PlatformFee fee = config.fee();
        List<Ledger.Entry> entries = new ArrayList<>(2 * inserted.size());
        for (UsageRow r : records) {
            if (!inserted.contains(r.uuid())) continue;
            var split = fee.split(r.amount());
            String description = "usage of job " + r.jobUuid();
            entries.add(new Ledger.Entry(r.accountUuid(), LedgerType.USAGE_CHARGE, split.charge(), r.uuid(), description, null));
            entries.add(new Ledger.Entry(r.providerAccountUuid(), LedgerType.PROVIDER_EARNING, split.earning(), r.uuid(), description, null));
        }
        ledger.post(h, entries, now);
        meters.advance(h, advances);
        return new Batch(claimed.size(), advances.size(), inserted.size(), cut);
    }

    private UsageRow record(MeterRow m, FixedPrice price, UsagePeriod p, Instant now) {
        return new UsageRow(UUID.randomUUID(), m.accountUuid(), m.jobUuid(), m.jobRunUuid(), m.nodeUuid(), m.providerAccountUuid(),
                p.start(), p.end(), p.seconds(), price.gpuName(), price.gpuCount(), m.cpuCount(), m.ramGb(), m.storageGb(),
                price.pricePerHour(), p.amount(), ledger.currency(), now);
    }

    /** Under GALLEY_BILLING=enforce: a running job whose account is below zero after its cut stops (spec §9). */
    private void stopJobsOutOfCredit(Map<UUID, UUID> cutJobs, Instant now) {
        if (config.mode() != dev.galley.core.billing.BillingMode.ENFORCE) return;
        Map<UUID, AccountBalance> after = tx.withHandle(h -> balances.balances(h, new HashSet<>(cutJobs.values())));
        cutJobs.forEach((job, account) -> {
            AccountBalance b = after.get(account);
            if (b != null && CreditPolicy.stopsAtCut(config.mode(), b.billingExempt(), b.balance())
                    && creditStops.stop(job, b.balance(), now)) {
                metrics.registry().counter("galley_credit_stops_total").increment();
                log.info("job {} stopped: account {} is below zero ({}) at its metering cut", job, account, b.balance());
            }
        });
    }

    /** The prices of the batch's new meters: the rate card and the nodes' GPUs, read once per batch and only if needed. */
    private final class Pricing {
        private final Handle h;
        private final List<MeterRow> batch;
        private RateCard card;
        private Map<UUID, Map<Integer, MeterRepository.NodeGpu>> gpus;

        Pricing(Handle h, List<MeterRow> batch) {
            this.h = h;
            this.batch = batch;
        }

        FixedPrice of(MeterRow m) {
            if (!m.priced() && card == null) {
                card = rateCards.fresh(h);
                Set<UUID> nodes = new HashSet<>();
                for (MeterRow r : batch) if (!r.priced() && !r.gpuDevices().isEmpty()) nodes.add(r.nodeUuid());
                gpus = nodes.isEmpty() ? Map.of() : meters.gpusOf(h, nodes);
            }
            return Meters.price(m, card, m.priced() ? Map.of() : gpus.getOrDefault(m.nodeUuid(), Map.of()));
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000); // a batch in flight commits or rolls back; either way nothing is charged twice
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
