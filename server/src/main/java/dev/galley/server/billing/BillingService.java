package dev.galley.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.billing.BillingMode;
import dev.galley.core.billing.CreditPolicy;
import dev.galley.core.billing.FixedPrice;
import dev.galley.core.billing.Metering;
import dev.galley.core.billing.Money;
import dev.galley.core.billing.RunResources;
import dev.galley.core.placement.RunRequirements;
import dev.galley.server.config.BillingConfig;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.ledger.AccountBalance;
import dev.galley.server.ledger.LedgerRepository;
import dev.galley.server.metering.MeterRepository;
import dev.galley.server.metering.MeterRow;
import dev.galley.server.metering.Meters;
import dev.galley.server.prices.RateCards;
import dev.galley.server.usage.UsageRepository;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import dev.galley.server.db.Transactions;

/**
 * What the rest of the server asks of billing, each in one call (spec §9): a job's price and cost so far, an account's
 * balance, and whether it may start work. The request paths call these; billing's own loops and endpoints live in
 * {@code metering}, {@code usage}, {@code ledger} and {@code prices}.
 */
public final class BillingService {
    private final Transactions tx;
    private final RateCards rateCards;
    private final GpuCatalogCache gpus;
    private final UsageRepository usage;
    private final MeterRepository meters;
    private final LedgerRepository ledger;
    private final BillingConfig config;
    private final Duration nodeTtl;
    private final Clock clock;

    public BillingService(Transactions tx, RateCards rateCards, GpuCatalogCache gpus, UsageRepository usage, MeterRepository meters,
                          LedgerRepository ledger, BillingConfig config, Duration nodeTtl, Clock clock) {
        this.tx = tx;
        this.rateCards = rateCards;
        this.gpus = gpus;
        this.usage = usage;
        this.meters = meters;
        this.ledger = ledger;
        this.config = config;
        this.nodeTtl = nodeTtl;
        this.clock = clock;
    }

    /**
     * The hourly price of one run (one node) of a validated job spec at the rate card in force now: the estimate a job
     * shows while PENDING. A spec without a GPU model is priced at the default GPU price; the price a run is actually
     * charged is fixed when it starts, by the GPUs it got.
     */
    public BigDecimal priceEstimate(JsonNode spec) {
        return rateCards.recent().hourlyPrice(RunResources.of(RunRequirements.ofSpec(spec, gpus.current())), now());
    }

    /** A job to price: {@code pending} (no run started yet) shows the estimate of its {@code spec} at the card in force. */
    public record PricedJob(UUID uuid, boolean pending, JsonNode spec) {}

    /**
     * What a job shows (spec §9): {@code pricePerHour}, its hourly price per run (an estimate at the card in force while
     * PENDING, else the price fixed for its latest started run; a job on N nodes costs N times this), and
     * {@code costSoFar}, the amounts of its usage records plus what its runs' open periods would cost if closed now (a
     * running run up to its node's last heartbeat): not yet charged, but will be.
     */
    public record JobCharges(BigDecimal pricePerHour, BigDecimal costSoFar) {}

    /** The charges of a page of jobs in at most four queries, whatever its size. */
    public Map<UUID, JobCharges> charges(List<PricedJob> jobs) {
        if (jobs.isEmpty()) return Map.of();
        Instant now = now();
        UUID[] ids = jobs.stream().map(PricedJob::uuid).toArray(UUID[]::new);
        record Latest(Instant startedAt, BigDecimal price) {}
        Map<UUID, BigDecimal> cost = new HashMap<>();
        Map<UUID, Latest> latest = new HashMap<>();
        tx.useHandle(h -> {
            usage.ofJobs(h, ids).forEach((job, u) -> {
                cost.put(job, u.amount());
                latest.put(job, new Latest(u.latestPeriodStart(), u.latestPricePerHour()));
            });
            List<MeterRow> open = meters.openOfJobs(h, ids);
            if (open.isEmpty()) return;
            var nodes = new HashSet<UUID>();
            for (MeterRow m : open) if (!m.priced() && !m.gpuDevices().isEmpty()) nodes.add(m.nodeUuid());
            Map<UUID, Map<Integer, MeterRepository.NodeGpu>> nodeGpus = nodes.isEmpty() ? Map.of() : meters.gpusOf(h, nodes);
            for (MeterRow m : open) {
                FixedPrice price = Meters.price(m, rateCards.recent(), nodeGpus.getOrDefault(m.nodeUuid(), Map.of()));
                BigDecimal openAmount = Metering.preview(Meters.reading(m, price, now, config.meteringPeriod(), nodeTtl)).amount();
                cost.merge(m.jobUuid(), openAmount, BigDecimal::add);
                latest.merge(m.jobUuid(), new Latest(m.startedAt(), price.pricePerHour()),
                        (a, b) -> b.startedAt().isAfter(a.startedAt()) ? b : a);
            }
        });
        Map<UUID, JobCharges> out = new HashMap<>();
        for (PricedJob j : jobs) {
            Latest l = latest.get(j.uuid());
            BigDecimal price = !j.pending() && l != null ? l.price() : j.spec() == null ? Money.ZERO : priceEstimate(j.spec());
            out.put(j.uuid(), new JobCharges(Money.round(price), Money.round(cost.getOrDefault(j.uuid(), Money.ZERO))));
        }
        return out;
    }

    /** One job's price per hour ({@link #charges}); {@code spec} gives the estimate before any of its runs started. */
    public BigDecimal pricePerHour(UUID job, JsonNode spec) {
        return charges(List.of(new PricedJob(job, false, spec))).get(job).pricePerHour();
    }

    /** One job's cost so far ({@link #charges}). */
    public BigDecimal costSoFar(UUID job) {
        return charges(List.of(new PricedJob(job, false, null))).get(job).costSoFar();
    }

    /** The account's balance, or empty when there is no such account. */
    public Optional<AccountBalance> balanceOf(UUID account) {
        return tx.withHandle(h -> ledger.balance(h, account));
    }

    /** May the account create, cook or have a job placed (always under GALLEY_BILLING=record)? */
    public boolean mayStartWork(UUID account) {
        if (config.mode() == BillingMode.RECORD) return true; // no read at all on the hot path unless enforcing
        return balanceOf(account).map(b -> CreditPolicy.mayStartWork(config.mode(), b.billingExempt(), b.balance())).orElse(false);
    }

    /**
     * Of {@code accounts}, those that may not start work, each with the wait reason its jobs show
     * ({@code INSUFFICIENT_CREDIT}): one query for a scheduling round; none at all under GALLEY_BILLING=record.
     */
    public Map<UUID, String> withoutCredit(java.util.Collection<UUID> accounts) {
        if (config.mode() == BillingMode.RECORD || accounts.isEmpty()) return Map.of();
        var out = new java.util.HashMap<UUID, String>();
        tx.withHandle(h -> ledger.balances(h, accounts)).forEach((account, b) -> {
            if (!CreditPolicy.mayStartWork(config.mode(), b.billingExempt(), b.balance())) {
                out.put(account, CreditPolicy.waitingForCredit(b.balance(), config.currency()));
            }
        });
        return out;
    }

    /** Throws 402 {@code payment_required} unless the account may start work: the one line create and cook call. */
    public void requireCredit(UUID account) {
        if (mayStartWork(account)) return;
        BigDecimal balance = balanceOf(account).map(AccountBalance::balance).orElse(Money.ZERO);
        throw paymentRequired(balance);
    }

    public ApiException paymentRequired(BigDecimal balance) {
        return new ApiException(402, "payment_required", CreditPolicy.paymentRequired(balance, config.currency()),
                List.of(), Map.of(), Map.of());
    }

    public String currency() {
        return config.currency();
    }

    public BillingMode mode() {
        return config.mode();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
