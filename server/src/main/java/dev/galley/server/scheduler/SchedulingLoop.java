package dev.galley.server.scheduler;

import dev.galley.core.placement.HeldResources;
import dev.galley.core.placement.NodeSnapshot;
import dev.galley.core.placement.Placement;
import dev.galley.core.placement.PlacementPipeline;
import dev.galley.core.placement.PlacementPlan;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's round: load a snapshot → pure placement in core → apply the plan with re-verification.
 * Runs on every replica; wakes when a job or node signal arrives (any replica) or every 500 ms. Survives any
 * error in a round (logged and counted) so one bad row cannot stop scheduling.
 */
public final class SchedulingLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    static final int MAX_JOBS_PER_ROUND = 10_000;
    private static final long IDLE_WAIT_MS = 500;

    private final Jdbi jdbi;
    private final SnapshotLoader loader;
    private final PlanApplier applier;
    private final GpuCatalogCache catalog;
    private final Signals signals;
    private final Metrics metrics;
    private final Clock clock;
    private final PlacementPipeline pipeline = PlacementPipeline.standard();
    private volatile boolean running = true;
    private final Thread thread;

    public SchedulingLoop(Jdbi jdbi, SnapshotLoader loader, PlanApplier applier, GpuCatalogCache catalog, Signals signals,
                          Metrics metrics, Clock clock) {
        this.jdbi = jdbi;
        this.loader = loader;
        this.applier = applier;
        this.catalog = catalog;
        this.signals = signals;
        this.metrics = metrics;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("galley-scheduler").daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            long seen = signals.schedulerVersion();
            boolean more = false;
            try {
                more = round();
            } catch (Throwable t) {
                metrics.registry().counter("galley_scheduler_errors_total").increment();
                log.error("scheduling round failed; retrying", t);
            }
            if (!more) {
                try {
                    signals.awaitJobs(seen, IDLE_WAIT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One round; returns true when it placed something and a full batch may still be waiting. */
    /**
     * Jobs the last round could not place, and the cluster state it left behind. Free capacity that only
     * shrank since (by our own placements) cannot fit them now either, so while the loaded state equals
     * that fingerprint they are not loaded or placed again: a backlog of unplaceable jobs then costs nothing
     * per round. Any other change (a run ended, a node came or went, another replica placed) clears it.
     */
    private final Set<UUID> knownUnplaceable = new HashSet<>();
    private int stateAfterLastRound;
    /**
     * While the state is unchanged, a round only needs jobs created since the previous round looked (every
     * older waiting job was just placed or found not to fit): it reads a few recent rows instead of the whole
     * backlog. The window reaches 5 s back to catch jobs whose transaction committed late, and a full load
     * every 5 s catches anything else (a retry waiting on an unchanged cluster, another replica's clock).
     */
    private java.time.Instant newestSeen;
    private long lastFullLoadNanos;
    private static final long FULL_LOAD_EVERY_NANOS = 5_000_000_000L;

    public boolean round() {
        long t0 = System.nanoTime();
        var snapshot = jdbi.withHandle(h -> loader.load(h, catalog.current(), MAX_JOBS_PER_ROUND, nodes -> {
            boolean unchanged = fingerprint(nodes) == stateAfterLastRound && knownUnplaceable.size() <= 50_000;
            if (!unchanged) knownUnplaceable.clear();
            boolean incremental = unchanged && newestSeen != null && System.nanoTime() - lastFullLoadNanos < FULL_LOAD_EVERY_NANOS;
            if (!incremental) lastFullLoadNanos = System.nanoTime();
            return new SnapshotLoader.JobWindow(knownUnplaceable, incremental ? newestSeen.minusSeconds(5) : null);
        }));
        snapshot.waiting().forEach(w -> {
            var created = java.time.Instant.ofEpochMilli(w.job().createdAtMs());
            if (newestSeen == null || created.isAfter(newestSeen)) newestSeen = created;
        });
        if (snapshot.waiting().isEmpty()) return false;
        long t1 = System.nanoTime();
        Map<UUID, SnapshotLoader.Waiting> byJob = new HashMap<>();
        snapshot.waiting().forEach(w -> byJob.put(w.job().jobUuid(), w));
        PlacementPlan plan = pipeline.place(snapshot.nodes(), snapshot.waiting().stream().map(SnapshotLoader.Waiting::job).toList());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long t2 = System.nanoTime();
        var applied = applier.apply(plan, byJob, snapshot.nodeAccounts(), now);
        plan.unplaced().forEach(u -> knownUnplaceable.add(u.jobUuid()));
        stateAfterLastRound = applied.jobsSkipped() == 0 ? fingerprint(after(snapshot.nodes(), plan, byJob)) : 0;
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        metrics.registry().counter("galley_runs_placed_total").increment(applied.runsPlaced());
        metrics.registry().timer("galley_placement_round").record(java.time.Duration.ofMillis(tookMs));
        if (applied.runsPlaced() > 0 || applied.jobsSkipped() > 0) {
            log.info("placed {} run(s) for {} job(s) in {} ms (load {} ms, plan {} ms, apply {} ms; {} waiting, {} node(s); {} job(s) left for the next round)",
                    applied.runsPlaced(), applied.jobsPlaced(), tookMs, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000, snapshot.waiting().size(), snapshot.nodes().size(),
                    applied.jobsSkipped());
        }
        return applied.jobsPlaced() > 0 && snapshot.waiting().size() >= MAX_JOBS_PER_ROUND || applied.jobsSkipped() > 0 && applied.jobsPlaced() > 0;
    }

    /** Order-independent hash of the nodes as placement sees them (capacity, GPUs, what runs hold). */
    static int fingerprint(List<NodeSnapshot> nodes) {
        int h = 17;
        for (NodeSnapshot n : nodes) h += n.hashCode();
        return h == 0 ? 1 : h;
    }

    /** The snapshot's nodes with this round's placements added to what they hold. */
    static List<NodeSnapshot> after(List<NodeSnapshot> nodes, PlacementPlan plan, Map<UUID, SnapshotLoader.Waiting> waiting) {
        Map<UUID, HeldResources> added = new HashMap<>();
        for (Placement p : plan.placements()) {
            var req = waiting.get(p.jobUuid()).job().requirements();
            added.merge(p.nodeUuid(), new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(),
                    new HashSet<>(p.gpuDeviceIndexes())), HeldResources::plus);
        }
        if (added.isEmpty()) return nodes;
        return nodes.stream().map(n -> added.containsKey(n.uuid())
                ? new NodeSnapshot(n.uuid(), n.regionCode(), n.schedulable(), n.cpuCores(), n.ramGb(), n.storageGb(), n.gpus(),
                        n.held().plus(added.get(n.uuid())))
                : n).toList();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
