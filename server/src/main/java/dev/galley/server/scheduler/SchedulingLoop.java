package dev.galley.server.scheduler;

import dev.galley.core.placement.NodeSnapshot;
import dev.galley.core.placement.PendingJob;
import dev.galley.core.placement.PlacementPipeline;
import dev.galley.core.placement.PlacementPlan;
import dev.galley.core.placement.RoundMemory;
import dev.galley.core.placement.WaitReasonHints;
import dev.galley.server.db.DatabaseOutage;
import dev.galley.server.db.Signals;
import dev.galley.server.gpus.GpuCatalogCache;
import dev.galley.server.metrics.Metrics;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's round: load a snapshot → pure placement in core → apply the plan, which the pure plan check
 * re-verifies against the nodes as they are by then.
 * Runs on every replica; wakes when a job or node signal arrives (any replica) or every 500 ms. Survives any
 * error in a round (logged and counted) so one bad row cannot stop scheduling.
 */
public final class SchedulingLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);
    /** Jobs a round plans at most (GALLEY_SCHEDULER_ROUND_JOBS); a full round means a backlog, which is pipelined. */
    private final int roundJobs;
    /**
     * With no signal, a round runs after this long: it notices capacity freed by runs that ended (no signal: at
     * thousands of nodes a round per ended run would cost more than it saves) and jobs another replica could not place.
     */
    private static final long IDLE_WAIT_MS = 500;
    /**
     * While signal-less rounds place nothing, the wait doubles up to this: each such round reads every node and what
     * its runs hold (~200 ms of PostgreSQL at 10,000 nodes and 100,000 runs), which at two a second was a third of a
     * core spent finding nothing to do. A signal (a job created, a retry, a node back) or a placement resets it.
     */
    private static final long IDLE_WAIT_AT_MOST_MS = 2_000;
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
    private final CreditGate credit;
    private volatile boolean running = true;
    private final Thread thread;

    public SchedulingLoop(Jdbi jdbi, SnapshotLoader loader, PlanApplier applier, GpuCatalogCache catalog, Signals signals,
                          Metrics metrics, Clock clock, WaitReasonHints hints, CreditGate credit, int roundJobs) {
        this.jdbi = jdbi;
        this.loader = loader;
        this.applier = applier;
        this.catalog = catalog;
        this.signals = signals;
        this.metrics = metrics;
        this.clock = clock;
        this.hints = hints;
        this.credit = credit;
        this.roundJobs = roundJobs;
        this.thread = Thread.ofPlatform().name("galley-scheduler").daemon().start(this::loop);
    }

    private void loop() {
        long lastStart = 0;
        long idleWaitMs = IDLE_WAIT_MS;
        while (running) {
            long gap = lastStart + MIN_ROUND_GAP_NANOS - System.nanoTime();
            if (gap > 0) java.util.concurrent.locks.LockSupport.parkNanos(gap);
            lastStart = System.nanoTime();
            long seen = signals.schedulerVersion();
            boolean more = false;
            placedInRound = false;
            try {
                more = round();
            } catch (Throwable t) {
                memory.forget(); // jobs handed over for this round may not have been read: the next one loads all
                metrics.registry().counter("galley_scheduler_errors_total").increment();
                if (DatabaseOutage.isCause(t)) log.debug("scheduling round failed: the database is unavailable; retrying", t);
                else log.error("scheduling round failed; retrying", t);
            }
            if (!more) {
                if (placedInRound) idleWaitMs = IDLE_WAIT_MS;
                try {
                    signals.awaitJobs(seen, idleWaitMs);
                } catch (InterruptedException e) {
                    return;
                }
                boolean signalled = signals.schedulerVersion() != seen; // during the round or the wait
                idleWaitMs = signalled || placedInRound ? IDLE_WAIT_MS : Math.min(idleWaitMs * 2, IDLE_WAIT_AT_MOST_MS);
            }
        }
    }

    /** What this replica remembers between rounds (skip known misses, read only recent jobs). */
    private final RoundMemory memory = new RoundMemory();

    /**
     * A full round's plan being applied on the applier thread while the next round plans: with a backlog,
     * loading and planning (mostly this JVM) overlap applying (mostly PostgreSQL) instead of the two cores
     * taking turns. The next round starts from the nodes as this plan leaves them, in memory, without reading
     * nodes and runs again: capacity freed meanwhile waits until the backlog is done, and capacity taken
     * meanwhile (another replica) is caught by the applier's re-check, so nothing is over-committed.
     */
    private record InFlight(List<NodeSnapshot> nodesAfter, List<PendingJob> jobs,
                            PlacementPlan plan, long startedNanos, CompletableFuture<PlanApplier.Applied> applied) {
        /** The jobs that round looked at: the next round takes the ones after them (the placed are being applied, the rest did not fit). */
        Set<UUID> loadedJobs() {
            Set<UUID> ids = new HashSet<>();
            jobs.forEach(j -> ids.add(j.jobUuid()));
            return ids;
        }
    }

    private InFlight inFlight;
    private final ExecutorService applyThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("galley-plan-applier").daemon().factory());

    /** One round; returns true when it placed something and a full batch may still be waiting (or credit returned). */
    public boolean round() {
        creditReturned = false;
        boolean more = plannedRound();
        if (!creditReturned) return more;
        // Jobs held for credit may be placeable now; rounds on an unchanged cluster would not load them again.
        memory.forget();
        return true;
    }

    private boolean creditReturned;
    /** Whether the last round placed a run (then the idle wait starts short again). */
    private boolean placedInRound;

    private boolean plannedRound() {
        long t0 = System.nanoTime();
        InFlight previous = inFlight;
        inFlight = null;
        var created = signals.takeCreatedJobs();
        List<NodeSnapshot> nodes;
        List<SnapshotLoader.Waiting> waiting;
        boolean[] sawAllWaiting = {false};
        if (previous == null) {
            var snapshot = jdbi.withHandle(h -> loader.load(h, catalog.current(), roundJobs, n -> {
                var window = memory.window(n, System.nanoTime(), created, roundJobs);
                sawAllWaiting[0] = !window.incremental();
                return window;
            }));
            nodes = snapshot.nodes().snapshots();
            waiting = snapshot.waiting();
            if (waiting.size() >= roundJobs) sawAllWaiting[0] = false; // cut at the limit: some were not loaded
        } else {
            nodes = previous.nodesAfter();
            waiting = jdbi.withHandle(h -> loader.jobs(h, catalog.current(), roundJobs,
                    new RoundMemory.JobWindow(previous.loadedJobs(), null)));
        }
        var split = credit.split(waiting, sawAllWaiting[0]);
        creditReturned = split.creditReturned();
        waiting = split.placeable();
        long t1 = System.nanoTime();
        Map<UUID, SnapshotLoader.Waiting> byJob = new HashMap<>();
        waiting.forEach(w -> byJob.put(w.job().jobUuid(), w));
        List<PendingJob> jobs = waiting.stream().map(SnapshotLoader.Waiting::job).toList();
        PlacementPlan plan = pipeline.place(nodes, jobs);
        long t2 = System.nanoTime();
        PlanApplier.Applied previousApplied = previous == null ? null : finish(previous.jobs(), previous.plan(), previous.nodesAfter().size(), previous.startedNanos(), previous.applied().join());

        if (waiting.isEmpty()) {
            if (previous != null) memory.forget(); // after a pipeline the next round starts from a full load
            // Nothing to place (or all known not to fit): a complete look at this state, so the next round can be incremental.
            else memory.remember(nodes, List.of(), new PlacementPlan(List.of(), List.of()), true, false);
            return previousApplied != null && previousApplied.jobsPlaced() > 0;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean backlog = waiting.size() >= roundJobs && !plan.placements().isEmpty();
        if (backlog) {
            // Apply on the applier thread and return at once: the next round plans meanwhile.
            inFlight = new InFlight(RoundMemory.after(nodes, jobs, plan), jobs, plan, t0,
                    CompletableFuture.supplyAsync(() -> applier.apply(plan, byJob, now), applyThread));
            log.debug("round planned in {} ms (load {} ms, plan {} ms); applying while the next round plans",
                    (t2 - t0) / 1_000_000, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            return true;
        }
        var applied = applier.apply(plan, byJob, now);
        finish(jobs, plan, nodes.size(), t0, applied);
        if (previous != null) memory.forget();
        else memory.remember(nodes, jobs, plan, applied.jobsSkipped() == 0, false);
        return applied.jobsSkipped() > 0 && applied.jobsPlaced() > 0;
    }

    /** Books a round whose plan was applied: metrics, the log line, and what the round teaches about wait reasons. */
    private PlanApplier.Applied finish(List<PendingJob> jobs, PlacementPlan plan, int nodes, long startedNanos,
                                       PlanApplier.Applied applied) {
        hints.learn(jobs, plan);
        if (applied.runsPlaced() > 0) placedInRound = true;
        long tookMs = (System.nanoTime() - startedNanos) / 1_000_000;
        metrics.registry().counter("galley_runs_placed_total").increment(applied.runsPlaced());
        metrics.registry().timer("galley_placement_round").record(java.time.Duration.ofMillis(tookMs));
        if (applied.runsPlaced() > 0 || applied.jobsSkipped() > 0) {
            log.info("placed {} run(s) for {} job(s) in {} ms ({} waiting, {} node(s); {} job(s) left for the next round)",
                    applied.runsPlaced(), applied.jobsPlaced(), tookMs, jobs.size(), nodes, applied.jobsSkipped());
        }
        return applied;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        applyThread.shutdown();
    }
}
