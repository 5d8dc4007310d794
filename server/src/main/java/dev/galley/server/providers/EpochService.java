package dev.galley.server.providers;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;
import dev.galley.core.list.ListQuery;
import dev.galley.core.providers.Epoch;
import dev.galley.core.providers.EpochHours;
import dev.galley.core.providers.NodeReward;
import dev.galley.core.providers.NodeStatusSpan;
import dev.galley.core.providers.RewardMultipliers;
import dev.galley.core.providers.RunPhaseSpan;
import dev.galley.server.auth.Caller;
import dev.galley.server.config.ProviderSettings;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.http.ApiException;
import dev.galley.server.nodes.NodeGpu;
import dev.galley.server.nodes.NodeRepository;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compute epochs (spec §10): keeps the current epoch's row, finalizes ended ones, and answers the epoch endpoints.
 *
 * <p>Finalizing is one transaction holding the epoch's row lock (FOR UPDATE SKIP LOCKED): it computes every node's
 * hours and rewards from the status history and the runs' phases, writes the reward rows and one payout (and REWARD
 * ledger transaction, {@link RewardPayouts}) per provider account, and marks the epoch FINALIZED. A replica killed in the middle leaves
 * nothing (the transaction rolls back) and another replica or the restarted one does it again; a second replica
 * skips the locked epoch and, once it is committed, no longer sees it as due. The unique keys on (epoch, node) and
 * (epoch, account) are the last guard.
 */
public final class EpochService {
    private static final Logger log = LoggerFactory.getLogger(EpochService.class);

    private final Transactions tx;
    private final EpochRepository epochs;
    private final NodeRepository nodes;
    private final GpuCatalogCache gpus;
    private final ProviderSettings settings;
    private final RewardPayouts payouts;
    private final Clock clock;

    public EpochService(Transactions tx, EpochRepository epochs, NodeRepository nodes, GpuCatalogCache gpus,
                        ProviderSettings settings, RewardPayouts payouts, Clock clock) {
        this.tx = tx;
        this.epochs = epochs;
        this.nodes = nodes;
        this.gpus = gpus;
        this.settings = settings;
        this.payouts = payouts;
        this.clock = clock;
    }

    /** The epoch {@code now} falls in, with its row created if no replica has yet. */
    public Epoch ensureCurrent() {
        Epoch current = settings.epochs().epochAt(clock.instant());
        tx.useTransaction(h -> epochs.ensure(h, current));
        return current;
    }

    /** Ended ACTIVE epochs become FINALIZING; then finalizes every epoch that is due. Returns how many it finalized. */
    public int finalizeDue() {
        tx.useTransaction(h -> epochs.markEnded(h, clock.instant()));
        int n = 0;
        while (finalizeOne().isPresent()) n++;
        return n;
    }

    /** Finalizes the oldest due epoch nobody else is finalizing; empty when there is none. */
    public Optional<UUID> finalizeOne() {
        Instant now = clock.instant();
        Optional<UUID> done = tx.inTransaction(h -> {
            var row = epochs.lockDue(h, now.minus(settings.settle()));
            if (row.isEmpty()) return Optional.empty();
            Epoch epoch = new Epoch(0, row.get().startsAt(), row.get().endsAt());
            List<EpochRepository.RewardRow> rewards = rewards(h, row.get().uuid(), epoch, now);
            epochs.insertRewards(h, rewards);
            Map<UUID, BigDecimal> perAccount = rewards.stream().collect(Collectors.groupingBy(
                    EpochRepository.RewardRow::accountUuid, TreeMap::new,
                    Collectors.reducing(BigDecimal.ZERO, EpochRepository.RewardRow::total, BigDecimal::add)));
            perAccount.forEach((account, amount) -> payouts.pay(h, row.get(), account, amount, now));
            epochs.markFinalized(h, row.get().uuid(), now);
            log.info("compute epoch {} ({} to {}) finalized: {} node reward(s), {} provider account(s)", row.get().uuid(),
                    epoch.startsAt(), epoch.endsAt(), rewards.size(), perAccount.size());
            return Optional.of(row.get().uuid());
        });
        return done;
    }

    /** Every node that was up (ONLINE or DRAINING) at some time in the epoch gets a row. */
    private List<EpochRepository.RewardRow> rewards(Handle h, UUID epochUuid, Epoch epoch, Instant now) {
        Map<UUID, List<NodeStatusSpan>> spans = epochs.statusSpans(h, epoch.interval());
        Map<UUID, List<RunPhaseSpan>> phases = epochs.runPhases(h, epoch.interval());
        List<UUID> upNodes = spans.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(s -> s.status() != dev.galley.core.lifecycle.NodeStatus.OFFLINE))
                .map(Map.Entry::getKey).sorted().toList();
        Map<UUID, UUID> accounts = epochs.accountsOf(h, upNodes);
        Map<UUID, List<NodeGpu>> gpusOf = nodes.gpus(h, upNodes);
        GpuCatalog catalog = gpus.current();
        List<EpochRepository.RewardRow> rows = new ArrayList<>();
        for (UUID node : upNodes) {
            EpochHours hours = EpochHours.of(epoch, spans.get(node), phases.getOrDefault(node, List.of()));
            List<GpuModel> models = gpusOf.getOrDefault(node, List.of()).stream()
                    .flatMap(g -> catalog.byUuid(g.gpuUuid()).stream()).toList();
            BigDecimal multiplier = RewardMultipliers.best(models, settings.rates().cpuOnlyMultiplier());
            NodeReward r = NodeReward.of(hours, multiplier, settings.rates());
            rows.add(new EpochRepository.RewardRow(UUID.randomUUID(), epochUuid, node, accounts.get(node), r.assignableHours(),
                    r.workedHours(), r.prepHours(), r.multiplier(), r.availabilityReward(), r.executionReward(),
                    r.preparationReward(), r.total(), now));
        }
        return rows;
    }

    public ListSql.Page<EpochRepository.EpochRow> list(Caller caller, ListQuery q) {
        caller.require(Resource.EPOCHS, Action.READ);
        return tx.withHandle(h -> epochs.list(h, q));
    }

    public EpochRepository.EpochRow get(Caller caller, UUID uuid) {
        caller.require(Resource.EPOCHS, Action.READ);
        return tx.withHandle(h -> epochs.byUuid(h, uuid)).orElseThrow(() -> ApiException.notFound("compute epoch"));
    }

    /** The epoch's rewards: of the caller's account's nodes, or every node's with epochs.read.all. */
    public ListSql.Page<EpochRepository.RewardRow> rewards(Caller caller, UUID epoch, ListQuery q) {
        get(caller, epoch);
        UUID account = caller.canAll(Resource.EPOCHS, Action.READ) ? null : caller.accountUuid();
        return tx.withHandle(h -> epochs.rewards(h, epoch, account, q));
    }

    /** What the endpoints show as status: the stored one, or FINALIZING for an ended epoch not marked yet. */
    public dev.galley.core.providers.EpochStatus statusOf(EpochRepository.EpochRow row) {
        return dev.galley.core.providers.EpochStatus.of(new Epoch(0, row.startsAt(), row.endsAt()), clock.instant(),
                row.status() == dev.galley.core.providers.EpochStatus.FINALIZED);
    }

}
