package dev.galley.server.scheduler;

import dev.galley.core.placement.Placement;
import dev.galley.core.placement.PlacementPlan;
import dev.galley.core.placement.RunSlots;
import dev.galley.core.placement.Unplaced;
import dev.galley.server.runs.JobReconciler;
import dev.galley.server.runs.RunRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only code that writes assignments. A plan was computed from a snapshot that may be stale (another
 * replica may have placed runs since), so inside one transaction it takes the plan-apply lock (one
 * transaction-scoped advisory lock: appliers of all replicas take turns, as Nomad's leader applies plans
 * one at a time), locks the planned jobs (SKIP LOCKED: a job being cancelled is left alone), re-reads what
 * the planned nodes' active runs hold, and commits only the jobs whose every placement still fits. The rest
 * stay waiting for the next round. Only appliers add runs, so under that lock capacity can only have grown
 * since the re-read: no node row locks are needed (10,000 of them per round cost more than the placement).
 */
public final class PlanApplier {
    private static final Logger log = LoggerFactory.getLogger(PlanApplier.class);
    private final Jdbi jdbi;
    private final RunRepository runs;
    private final JobReconciler reconciler;
    private final Signals signals;

    public record Applied(int runsPlaced, int jobsPlaced, int jobsSkipped, Set<UUID> nodes) {}

    public PlanApplier(Jdbi jdbi, RunRepository runs, JobReconciler reconciler, Signals signals) {
        this.jdbi = jdbi;
        this.runs = runs;
        this.reconciler = reconciler;
        this.signals = signals;
    }

    public Applied apply(PlacementPlan plan, Map<UUID, SnapshotLoader.Waiting> waiting, Map<UUID, UUID> nodeAccounts, Instant now) {
        Map<UUID, List<Placement>> byJob = new LinkedHashMap<>();
        for (Placement p : plan.placements()) byJob.computeIfAbsent(p.jobUuid(), k -> new ArrayList<>()).add(p);
        Applied applied = byJob.isEmpty() ? new Applied(0, 0, 0, Set.of()) : jdbi.inTransaction(h -> commit(h, byJob, waiting, nodeAccounts, now));
        // Long-polls held by this replica wake now, without waiting for the NOTIFY round trip.
        applied.nodes().forEach(signals::wakeNode);
        recordReasons(plan.unplaced().stream().filter(u -> changed(u, waiting.get(u.jobUuid()))).toList());
        return applied;
    }

    /** Any constant shared by every replica; names the plan-apply lock. */
    private static final long APPLY_LOCK = 0x6a11e7_a991L;

    private Applied commit(Handle h, Map<UUID, List<Placement>> byJob, Map<UUID, SnapshotLoader.Waiting> waiting,
                           Map<UUID, UUID> nodeAccounts, Instant now) {
        long t0 = System.nanoTime();
        h.execute("SELECT pg_advisory_xact_lock(?)", APPLY_LOCK);
        // The job-count trigger sees this round's 10,000 updated rows twice (old and new): with the default 4 MB
        // of work memory those transition tables spill to temporary files.
        h.execute("SET LOCAL work_mem = '64MB'");
        Set<UUID> lockedJobs = new HashSet<>(h.createQuery("""
                SELECT uuid FROM jobs WHERE uuid = ANY(:ids) AND wants_placement AND NOT cancel_requested AND NOT assign_timed_out
                FOR UPDATE SKIP LOCKED""")
                .bind("ids", byJob.keySet().toArray(UUID[]::new)).mapTo(UUID.class).list());
        Set<UUID> nodeIds = new HashSet<>();
        byJob.forEach((job, ps) -> { if (lockedJobs.contains(job)) ps.forEach(p -> nodeIds.add(p.nodeUuid())); });
        long t1 = System.nanoTime();
        Map<UUID, Free> free = lockAndReadFree(h, nodeIds);
        long t2 = System.nanoTime();

        List<RunRepository.NewRun> newRuns = new ArrayList<>();
        List<UUID> firstPlaced = new ArrayList<>();
        List<Integer> firstCounts = new ArrayList<>();
        List<UUID> retried = new ArrayList<>();
        Set<UUID> touchedNodes = new HashSet<>();
        int skipped = 0;
        for (var entry : byJob.entrySet()) {
            UUID jobUuid = entry.getKey();
            SnapshotLoader.Waiting w = waiting.get(jobUuid);
            if (!lockedJobs.contains(jobUuid) || w == null) {
                skipped++;
                continue;
            }
            var req = w.job().requirements();
            // Check the whole job against fresh capacity before taking anything, so a job is all-or-nothing.
            Map<UUID, Free> trial = new HashMap<>();
            boolean fits = true;
            for (Placement p : entry.getValue()) {
                Free f = trial.computeIfAbsent(p.nodeUuid(), n -> free.containsKey(n) ? free.get(n).copy() : null);
                if (f == null || !f.take(req.cpuCount(), req.minRamGb(), req.minStorageGb(), p.gpuDeviceIndexes())) {
                    fits = false;
                    break;
                }
            }
            if (!fits) {
                skipped++;
                log.debug("job {}: planned capacity was taken meanwhile; it waits for the next round", jobUuid);
                continue;
            }
            free.putAll(trial);
            for (Placement p : entry.getValue()) {
                newRuns.add(new RunRepository.NewRun(UUID.randomUUID(), jobUuid, w.accountUuid(), p.nodeUuid(),
                        nodeAccounts.get(p.nodeUuid()), p.nodeIndex(), p.attempt(), req.cpuCount(), req.minRamGb(),
                        req.minStorageGb(), p.gpuDeviceIndexes(), now.toEpochMilli() + w.maxTimeoutStartMs()));
                touchedNodes.add(p.nodeUuid());
            }
            if (w.job().slots() instanceof RunSlots.FirstPlacement) {
                firstPlaced.add(jobUuid);
                firstCounts.add(entry.getValue().getFirst().nodeCount());
            } else {
                retried.add(jobUuid);
            }
        }
        long t3 = System.nanoTime();
        runs.insertAll(h, newRuns, now);
        long t4 = System.nanoTime();
        if (!firstPlaced.isEmpty()) {
            // A first placement leaves every run ASSIGNED: the job is ASSIGNED and no longer waits. This is what
            // the lifecycle rule derives; writing it in one statement keeps big rounds cheap.
            h.createUpdate("""
                    UPDATE jobs j SET status = 'ASSIGNED', status_reason = NULL, status_reason_code = NULL,
                        node_count = u.n, wants_placement = false, timeout_assign_at_ms = NULL,
                        updated_at = :now, version = version + 1
                    FROM unnest(CAST(:ids AS uuid[]), CAST(:counts AS int[])) AS u(id, n) WHERE j.uuid = u.id""")
                    .bind("ids", firstPlaced.toArray(UUID[]::new)).bind("counts", firstCounts.toArray(Integer[]::new))
                    .bind("now", now).execute();
        }
        long t5 = System.nanoTime();
        for (UUID job : retried) reconciler.reconcile(h, job, now);
        signals.nodesAssigned(h, touchedNodes);
        log.debug("apply: lock jobs {} ms, read free {} ms, check {} ms, insert runs {} ms, update jobs {} ms",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000);
        return new Applied(newRuns.size(), firstPlaced.size() + retried.size(), skipped, touchedNodes);
    }

    /** Computes the planned nodes' free capacity from their active runs, inside the transaction (under the apply lock). */
    private Map<UUID, Free> lockAndReadFree(Handle h, Set<UUID> nodeIds) {
        Map<UUID, Free> free = new HashMap<>();
        if (nodeIds.isEmpty()) return free;
        UUID[] ids = nodeIds.toArray(UUID[]::new);
        h.createQuery("SELECT uuid, cpu_cores, ram_gb, storage_gb FROM nodes WHERE uuid = ANY(:ids) AND status = 'ONLINE'")
                .bind("ids", ids)
                .map((rs, c) -> free.put(rs.getObject(1, UUID.class), new Free(rs.getInt(2), rs.getDouble(3), rs.getDouble(4), new HashSet<>())))
                .list();
        h.createQuery("SELECT node_uuid, device_index FROM node_gpus WHERE node_uuid = ANY(:ids)").bind("ids", ids)
                .map((rs, c) -> {
                    Free f = free.get(rs.getObject(1, UUID.class));
                    if (f != null) f.gpus.add(rs.getInt(2));
                    return 0;
                }).list();
        runs.heldByNode(h, ids).forEach((node, held) -> {
            Free f = free.get(node);
            if (f != null) {
                f.cpu -= held.cpuCores();
                f.ram -= held.ramGb();
                f.storage -= held.storageGb();
                f.gpus.removeAll(held.gpuDeviceIndexes());
            }
        });
        return free;
    }

    /** True when the round's reason for a waiting job differs from what the job says (so it must be written). */
    private static boolean changed(Unplaced u, SnapshotLoader.Waiting w) {
        return w == null || !u.reason().equals(w.reason()) || !u.reasonCode().name().equals(w.reasonCode());
    }

    /** Stores why each waiting job is still waiting (only where the text changed, to avoid write churn). */
    private void recordReasons(List<Unplaced> unplaced) {
        if (unplaced.isEmpty()) return;
        UUID[] ids = new UUID[unplaced.size()];
        String[] reasons = new String[unplaced.size()];
        String[] codes = new String[unplaced.size()];
        for (int i = 0; i < unplaced.size(); i++) {
            ids[i] = unplaced.get(i).jobUuid();
            reasons[i] = unplaced.get(i).reason();
            codes[i] = unplaced.get(i).reasonCode().name();
        }
        // updated_at is left alone: refining why a job waits is not a change to the job, and touching no
        // indexed column lets PostgreSQL update the row in place (HOT) instead of adding an entry to every index.
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE jobs j SET status_reason = u.reason, status_reason_code = u.code
                FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[]), CAST(:codes AS text[])) AS u(id, reason, code)
                WHERE j.uuid = u.id AND j.wants_placement AND j.status = 'PENDING'
                  AND (j.status_reason IS DISTINCT FROM u.reason OR j.status_reason_code IS DISTINCT FROM u.code)""")
                .bind("ids", ids).bind("reasons", reasons).bind("codes", codes).execute());
    }

    /** Mutable free capacity of one node while a transaction checks placements against it. */
    static final class Free {
        int cpu;
        double ram;
        double storage;
        final Set<Integer> gpus;

        Free(int cpu, double ram, double storage, Set<Integer> gpus) {
            this.cpu = cpu;
            this.ram = ram;
            this.storage = storage;
            this.gpus = gpus;
        }

        Free copy() {
            return new Free(cpu, ram, storage, new HashSet<>(gpus));
        }

        boolean take(int cpuCount, double ramGb, double storageGb, List<Integer> devices) {
            if (cpu < cpuCount || ram + 1e-9 < ramGb || storage + 1e-9 < storageGb || !gpus.containsAll(devices)) return false;
            cpu -= cpuCount;
            ram -= ramGb;
            storage -= storageGb;
            devices.forEach(gpus::remove);
            return true;
        }
    }
}
