package dev.galley.server.scheduler;

import dev.galley.core.lifecycle.Deadline;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.server.db.PeriodicLoop;
import dev.galley.server.db.Signals;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.RunRepository;
import dev.galley.server.lifecycle.RunRow;
import dev.galley.server.metrics.Metrics;
import dev.galley.server.nodes.NodeRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires deadlines every 500 ms (so each fires within 2 s, spec §5.2): assign timeouts, start timeouts,
 * run timeouts of silent nodes; and node loss (no heartbeat for GALLEY_NODE_TTL_MS) every tenth of the TTL (500 ms
 * to 5 s). Each firing is its own small transaction that re-checks the row under a lock, so several replicas reaping
 * at once is harmless.
 */
public final class TimeoutReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeoutReaper.class);
    private static final long PERIOD_MS = 500;
    private final Jdbi jdbi;
    private final RunRepository runs;
    private final NodeRepository nodes;
    private final JobReconciler reconciler;
    private final Signals signals;
    private final Clock clock;
    private final long nodeTtlMs;
    /**
     * Finding silent nodes reads every node row (no index on last_seen_at, so that heartbeats are HOT updates): ~25 ms
     * of PostgreSQL at 10,000 nodes, too much to repeat every 500 ms for a deadline measured in tens of seconds.
     */
    private final long nodeSweepEveryMs;
    private long lastNodeSweepMs;
    private final PeriodicLoop loop;

    public TimeoutReaper(Jdbi jdbi, RunRepository runs, NodeRepository nodes, JobReconciler reconciler, Signals signals,
                         Metrics metrics, Clock clock, long nodeTtlMs) {
        this.jdbi = jdbi;
        this.runs = runs;
        this.nodes = nodes;
        this.reconciler = reconciler;
        this.signals = signals;
        this.clock = clock;
        this.nodeTtlMs = nodeTtlMs;
        this.nodeSweepEveryMs = Math.max(PERIOD_MS, Math.min(nodeTtlMs / 10, 5_000));
        this.loop = new PeriodicLoop("galley-reaper", "timeout sweep", PERIOD_MS, metrics, "galley_reaper_errors_total", this::sweep);
    }

    public void sweep() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long nowMs = now.toEpochMilli();
        // 1. Jobs whose run slot waited too long for a node: flagged, and the lifecycle rule fails them.
        for (UUID job : jdbi.withHandle(h -> reconciler.markAssignTimedOut(h, nowMs))) {
            jdbi.useTransaction(h -> reconciler.reconcile(h, job, now));
            log.info("job {} failed: {}", job, Deadline.ASSIGN.reason());
        }
        // 2. Runs that did not reach RUNNING in time (image pulls count); 3. BATCH runs past their run timeout
        // whose node did not report it (the node normally does).
        for (Deadline deadline : List.of(Deadline.START, Deadline.RUN))
            for (UUID run : jdbi.withHandle(h -> runs.pastDeadline(h, deadline, nowMs, 500))) fail(run, deadline, now);
        // 4. Nodes that stopped heartbeating: OFFLINE, and their active runs are lost.
        if (nowMs - lastNodeSweepMs < nodeSweepEveryMs) return;
        lastNodeSweepMs = nowMs;
        List<UUID> lost = jdbi.withHandle(h -> nodes.markSilentOffline(h, now.minusMillis(nodeTtlMs), now));
        if (!lost.isEmpty()) {
            log.warn("{} node(s) went OFFLINE (no heartbeat for {} ms): {}", lost.size(), nodeTtlMs, lost);
            for (UUID run : jdbi.withHandle(h -> runs.activeOnNodes(h, lost))) fail(run, Deadline.HEARTBEAT, now);
        }
    }

    private void fail(UUID runUuid, Deadline deadline, Instant now) {
        boolean failed = jdbi.inTransaction(h -> {
            RunRow run = runs.lockByUuid(h, runUuid).orElse(null);
            // Another replica got there, or the run moved on (started, finished) since it was found.
            if (run == null || !run.active() || !deadline.fails(run.status())) return false;
            // The run is final now; its node learns to stop the container from its next heartbeat, which
            // answers stop_run for every run the node still reports but the server no longer holds active.
            runs.update(h, runUuid, RunStatus.FAILED, deadline.reason(), deadline.reasonCode(), null, null, now, null);
            reconciler.reconcile(h, run.jobUuid(), now);
            signals.jobsWaiting(h); // a retry may now want a node
            return true;
        });
        if (failed) log.info("run {} failed: {} ({})", runUuid, deadline.reasonCode(), deadline.reason());
    }

    @Override
    public void close() {
        loop.close();
    }
}
