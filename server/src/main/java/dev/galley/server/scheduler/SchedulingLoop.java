package dev.galley.server.scheduler;

import dev.galley.core.placement.PendingJob;
import dev.galley.core.placement.PlacementPipeline;
import dev.galley.core.placement.PlacementPlan;
import dev.galley.core.placement.RoundMemory;
import dev.galley.core.placement.WaitReasonHints;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
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
    /**
     * Rounds start at most this often. Under a stream of cooks every group commit wakes the scheduler, and a
     * round per wake-up (100+ a second) spent more on loading nodes than on placing; waiting this long lets
     * one round take every job created meanwhile, for a few milliseconds of assignment latency.
     */
    private static final long MIN_ROUND_GAP_NANOS = 10_000_000;

    private final Jdbi jdbi;
    private final SnapshotLoader loader;
    private final PlanApplier applier;
    private final GpuCatalogCache catalog;
    private final Signals signals;
    private final Metrics metrics;
    private final Clock clock;
    private final PlacementPipeline pipeline = PlacementPipeline.standard();
    private final WaitReasonHints hints;
    private volatile boolean running = true;
    private final Thread thread;

    public SchedulingLoop(Jdbi jdbi, SnapshotLoader loader, PlanApplier applier, GpuCatalogCache catalog, Signals signals,
                          Metrics metrics, Clock clock, WaitReasonHints hints) {
        this.jdbi = jdbi;
        this.loader = loader;
        this.applier = applier;
        this.catalog = catalog;
        this.signals = signals;
        this.metrics = metrics;
        this.clock = clock;
        this.hints = hints;
        this.thread = Thread.ofPlatform().name("galley-scheduler").daemon().start(this::loop);
    }

    private void loop() {
        long lastStart = 0;
        while (running) {
            long gap = lastStart + MIN_ROUND_GAP_NANOS - System.nanoTime();
            if (gap > 0) java.util.concurrent.locks.LockSupport.parkNanos(gap);
            lastStart = System.nanoTime();
            long seen = signals.schedulerVersion();
            boolean more = false;
            try {
                more = round();
            } catch (Throwable t) {
                memory.forget(); // jobs handed over for this round may not have been read: the next one loads all
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

    /** What this replica remembers between rounds (skip known misses, read only recent jobs). */
    private final RoundMemory memory = new RoundMemory();

    /** One round; returns true when it placed something and a full batch may still be waiting. */
    public boolean round() {
        long t0 = System.nanoTime();
        var created = signals.takeCreatedJobs();
        var snapshot = jdbi.withHandle(h -> loader.load(h, catalog.current(), MAX_JOBS_PER_ROUND,
                nodes -> memory.window(nodes, System.nanoTime(), created, MAX_JOBS_PER_ROUND)));
        if (snapshot.waiting().isEmpty()) {
            // Nothing to place (or all known not to fit): a complete look at this state, so the next round can be incremental.
            memory.remember(snapshot.nodes(), List.of(), new PlacementPlan(List.of(), List.of()), true, false);
            return false;
        }
        long t1 = System.nanoTime();
        Map<UUID, SnapshotLoader.Waiting> byJob = new HashMap<>();
        snapshot.waiting().forEach(w -> byJob.put(w.job().jobUuid(), w));
        List<PendingJob> jobs = snapshot.waiting().stream().map(SnapshotLoader.Waiting::job).toList();
        PlacementPlan plan = pipeline.place(snapshot.nodes(), jobs);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long t2 = System.nanoTime();
        var applied = applier.apply(plan, byJob, snapshot.nodeAccounts(), now);
        memory.remember(snapshot.nodes(), jobs, plan, applied.jobsSkipped() == 0, snapshot.waiting().size() >= MAX_JOBS_PER_ROUND);
        hints.learn(jobs, plan);
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
