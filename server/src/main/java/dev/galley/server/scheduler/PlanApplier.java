package dev.galley.server.scheduler;

import dev.galley.core.placement.Placement;
import dev.galley.core.placement.PlacementPlan;
import dev.galley.core.placement.PlanCheck;
import dev.galley.core.placement.RunSlots;
import dev.galley.core.placement.Unplaced;
import dev.galley.server.db.Signals;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.RunRepository;
import java.time.Instant;
import java.util.ArrayList;
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
 * replica may have placed runs since, a node may have been drained), so inside one transaction it takes the
 * plan-apply lock, locks the planned jobs that are still placeable, re-reads the planned nodes, and lets the
 * pure {@link PlanCheck} decide which jobs still fit — with the filters and arithmetic placement itself uses.
 * Those are written; the rest wait for the next round. Only appliers add runs, so under that lock capacity can
 * only have grown since the re-read: no node row locks are needed (10,000 of them per round cost more than the
 * placement). Job statuses are written by {@link JobReconciler}.
 */
public final class PlanApplier {
    private static final Logger log = LoggerFactory.getLogger(PlanApplier.class);
    private final Jdbi jdbi;
    private final PlacementRepository placement;
    private final SnapshotLoader loader;
    private final RunRepository runs;
    private final JobReconciler reconciler;
    private final Signals signals;
    private final PlanCheck check = PlanCheck.standard();

    public record Applied(int runsPlaced, int jobsPlaced, int jobsSkipped, Set<UUID> nodes) {
        static final Applied NOTHING = new Applied(0, 0, 0, Set.of());
    }

    public PlanApplier(Jdbi jdbi, PlacementRepository placement, SnapshotLoader loader, RunRepository runs,
                       JobReconciler reconciler, Signals signals) {
        this.jdbi = jdbi;
        this.placement = placement;
        this.loader = loader;
        this.runs = runs;
        this.reconciler = reconciler;
        this.signals = signals;
    }

    public Applied apply(PlacementPlan plan, Map<UUID, SnapshotLoader.Waiting> waiting, Instant now) {
        List<PlanCheck.PlannedJob> planned = byJob(plan, waiting);
        Applied applied = planned.isEmpty() ? Applied.NOTHING : jdbi.inTransaction(h -> commit(h, planned, waiting, now));
        // Long-polls held by this replica wake now, without waiting for the NOTIFY round trip.
        applied.nodes().forEach(signals::wakeNode);
        List<Unplaced> newReasons = plan.unplaced().stream().filter(u -> changed(u, waiting.get(u.jobUuid()))).toList();
        if (!newReasons.isEmpty()) jdbi.useHandle(h -> reconciler.recordWaitReasons(h, newReasons));
        return applied;
    }

    /** The plan's placements grouped by job, in plan order (oldest job first). */
    private static List<PlanCheck.PlannedJob> byJob(PlacementPlan plan, Map<UUID, SnapshotLoader.Waiting> waiting) {
        Map<UUID, List<Placement>> byJob = new LinkedHashMap<>();
        for (Placement p : plan.placements()) byJob.computeIfAbsent(p.jobUuid(), k -> new ArrayList<>()).add(p);
        var planned = new ArrayList<PlanCheck.PlannedJob>(byJob.size());
        byJob.forEach((job, ps) -> planned.add(new PlanCheck.PlannedJob(job, waiting.get(job).job().requirements(), ps)));
        return planned;
    }

    private Applied commit(Handle h, List<PlanCheck.PlannedJob> planned, Map<UUID, SnapshotLoader.Waiting> waiting,
                           Instant now) {
        placement.takeApplyLock(h);
        Set<UUID> locked = placement.lockPlaceableJobs(h, planned.stream().map(PlanCheck.PlannedJob::jobUuid).toList());
        List<PlanCheck.PlannedJob> lockedJobs = planned.stream().filter(j -> locked.contains(j.jobUuid())).toList();
        Set<UUID> plannedNodes = new HashSet<>();
        lockedJobs.forEach(j -> j.placements().forEach(p -> plannedNodes.add(p.nodeUuid())));
        SnapshotLoader.Nodes fresh = loader.freshNodes(h, plannedNodes);

        PlanCheck.Result checked = check.check(fresh.snapshots(), lockedJobs);
        for (PlanCheck.Refused r : checked.refused())
            log.debug("job {}: not placed on node {} ({}): it waits for the next round", r.jobUuid(), r.placement().nodeUuid(), r.reason());

        List<RunRepository.NewRun> newRuns = new ArrayList<>();
        List<JobReconciler.FirstPlacement> firstPlaced = new ArrayList<>();
        List<UUID> retried = new ArrayList<>();
        Set<UUID> touchedNodes = new HashSet<>();
        for (PlanCheck.PlannedJob job : checked.accepted()) {
            SnapshotLoader.Waiting w = waiting.get(job.jobUuid());
            var req = job.requirements();
            for (Placement p : job.placements()) {
                newRuns.add(new RunRepository.NewRun(UUID.randomUUID(), job.jobUuid(), w.accountUuid(), p.nodeUuid(),
                        fresh.accounts().get(p.nodeUuid()), p.nodeIndex(), p.attempt(), req.cpuCount(), req.minRamGb(),
                        req.minStorageGb(), p.gpuDeviceIndexes(), now.toEpochMilli() + w.maxTimeoutStartMs()));
                touchedNodes.add(p.nodeUuid());
            }
            if (w.job().slots() instanceof RunSlots.FirstPlacement)
                firstPlaced.add(new JobReconciler.FirstPlacement(job.jobUuid(), job.placements().getFirst().nodeCount()));
            else retried.add(job.jobUuid());
        }
        runs.insertAll(h, newRuns, now);
        reconciler.firstPlacements(h, firstPlaced, now);
        for (UUID job : retried) reconciler.reconcile(h, job, now);
        signals.nodesAssigned(h, touchedNodes);
        return new Applied(newRuns.size(), checked.accepted().size(), planned.size() - checked.accepted().size(), touchedNodes);
    }

    /** True when the round's reason for a waiting job differs from what the job says (so it must be written). */
    private static boolean changed(Unplaced u, SnapshotLoader.Waiting w) {
        return w == null || !u.reason().equals(w.reason()) || u.reasonCode() != w.reasonCode();
    }
}
