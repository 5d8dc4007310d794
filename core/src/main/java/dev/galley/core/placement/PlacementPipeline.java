package dev.galley.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;

/**
 * Placement as a pure function of a snapshot: filters decide which nodes can host a run, the scorer
 * ranks them, and {@link #place} walks the pending jobs oldest first. See README.md in this package.
 */
public final class PlacementPipeline {
    private final NodeFilter[] filters;
    private final TightestFitScorer scorer;
    /** False only in tests: every search then scans all nodes, the reference the indexes must agree with. */
    private final boolean indexed;

    private PlacementPipeline(List<NodeFilter> filters, TightestFitScorer scorer, boolean indexed) {
        this.filters = filters.toArray(NodeFilter[]::new);
        this.scorer = scorer;
        this.indexed = indexed;
    }

    /** The standard stages without the shape and fit indexes: the slow reference for equivalence tests. */
    static PlacementPipeline unindexed() {
        return new PlacementPipeline(standard().filtersList(), new TightestFitScorer(), false);
    }

    private List<NodeFilter> filtersList() {
        return List.of(filters);
    }

    /** The stages, cheapest first: most nodes are turned away before the GPU walk. */
    public static PlacementPipeline standard() {
        return new PlacementPipeline(List.of(
                new SchedulableFilter(), // ONLINE: one comparison
                new RegionFilter(),      // a set lookup, skipped when the job runs anywhere
                new CpuFilter(),         // one comparison each for CPU, RAM, storage
                new RamFilter(),
                new StorageFilter(),
                new GpuFilter()),        // walks the node's devices: last, as the dearest
                new TightestFitScorer(), true);
    }

    /**
     * Places as many waiting runs as fit. Jobs are taken oldest first; each placement consumes the node's
     * free capacity for the jobs after it, so the plan never over-commits a node; a job that fits nowhere
     * is recorded as {@link Unplaced} and the next job is tried (no head-of-line blocking).
     */
    public PlacementPlan place(List<NodeSnapshot> nodes, List<PendingJob> jobs) {
        var ledger = new CapacityLedger(nodes);
        var placements = new ArrayList<Placement>();
        var unplaced = new ArrayList<Unplaced>();
        // Free capacity only shrinks during a round, so a job equal in needs to one that just missed
        // misses too: reuse its diagnosis instead of scanning every node again. This keeps a saturated
        // cluster with thousands of look-alike pending jobs cheap.
        Map<RunRequirements, UnplacedDiagnosis.Verdict> missed = new HashMap<>();

        List<PendingJob> oldestFirst = jobs.stream().sorted(PendingJob.OLDEST_FIRST).toList();
        for (PendingJob job : oldestFirst) {
            switch (job.slots()) {
                case RunSlots.FirstPlacement first -> placeFirst(job, first, ledger, missed, placements, unplaced);
                case RunSlots.Retries retries -> placeRetries(job, retries, ledger, placements, unplaced);
            }
        }
        return new PlacementPlan(placements, unplaced);
    }

    private void placeFirst(PendingJob job, RunSlots.FirstPlacement first, CapacityLedger ledger,
                            Map<RunRequirements, UnplacedDiagnosis.Verdict> missed,
                            List<Placement> placements, List<Unplaced> unplaced) {
        RunRequirements req = job.requirements();
        UnplacedDiagnosis.Verdict known = missed.get(req);
        if (known != null) {
            unplaced.add(new Unplaced(job.jobUuid(), List.of(), known.code(), known.reason(), known.rejectedBy()));
            return;
        }
        // Distinct nodes by construction: each node is a candidate once.
        List<Integer> chosen = bestNodes(ledger, req, first.maxNodeCount(), Set.of(), Set.of());
        if (chosen.isEmpty()) {
            UnplacedDiagnosis.Verdict verdict = UnplacedDiagnosis.diagnose(filters, ledger, req, Set.of());
            missed.put(req, verdict);
            unplaced.add(new Unplaced(job.jobUuid(), List.of(), verdict.code(), verdict.reason(), verdict.rejectedBy()));
            return;
        }
        for (int nodeIndex = 0; nodeIndex < chosen.size(); nodeIndex++)
            placements.add(take(ledger, job, chosen.get(nodeIndex), nodeIndex, chosen.size(), 1));
    }

    private void placeRetries(PendingJob job, RunSlots.Retries retries, CapacityLedger ledger,
                              List<Placement> placements, List<Unplaced> unplaced) {
        RunRequirements req = job.requirements();
        Set<UUID> nodesOfThisJob = new HashSet<>(retries.nodesRunningThisJob());
        var waiting = new ArrayList<Integer>();
        List<RetrySlot> slots = retries.slots().stream().sorted(Comparator.comparingInt(RetrySlot::nodeIndex)).toList();
        for (RetrySlot slot : slots) {
            List<Integer> chosen = bestNodes(ledger, req, 1, nodesOfThisJob, slot.failedOnNodes());
            if (chosen.isEmpty()) {
                waiting.add(slot.nodeIndex());
                continue;
            }
            Placement placement = take(ledger, job, chosen.getFirst(), slot.nodeIndex(), retries.nodeCount(),
                    slot.attempt());
            placements.add(placement);
            nodesOfThisJob.add(placement.nodeUuid());
        }
        if (!waiting.isEmpty()) {
            UnplacedDiagnosis.Verdict verdict = UnplacedDiagnosis.diagnose(filters, ledger, req, nodesOfThisJob);
            unplaced.add(new Unplaced(job.jobUuid(), waiting, verdict.code(), verdict.reason(), verdict.rejectedBy()));
        }
    }

    private static Placement take(CapacityLedger ledger, PendingJob job, int position, int nodeIndex, int nodeCount,
                                  int attempt) {
        RunRequirements req = job.requirements();
        NodeCapacity free = ledger.free(position);
        List<Integer> gpus = req.gpuCount() == 0 ? List.of() : free.pickGpus(req);
        ledger.take(position, req, gpus);
        return new Placement(job.jobUuid(), nodeIndex, nodeCount, attempt, free.nodeUuid(), gpus);
    }

    /**
     * Up to {@code howMany} fitting nodes (ledger positions), best first: nodes the slot should avoid after
     * all others, then by {@link TightestFitScorer}. One pass over the nodes; for a single slot — the
     * common case — nothing is allocated per node, and a bounded heap keeps wider jobs at O(n · log howMany).
     */
    private List<Integer> bestNodes(CapacityLedger ledger, RunRequirements req, int howMany, Set<UUID> excluded,
                                    Set<UUID> avoided) {
        Comparator<Integer> bestFirst = (a, b) -> compare(ledger, req, avoided, a, b);
        if (indexed && howMany == 1 && excluded.isEmpty() && avoided.isEmpty() && req.gpuCount() == 0) {
            int best = ledger.bestCpuOnly(req, p -> passesFilters(ledger.free(p), req));
            return best < 0 ? List.of() : List.of(best);
        }
        if (indexed && howMany == 1 && excluded.isEmpty() && avoided.isEmpty()) {
            // Same answer as scanning every node (equal shapes differ only by uuid, the last tie-break),
            // from one representative per shape.
            int best = -1;
            for (int position : ledger.representatives())
                if (isCandidate(ledger.free(position), req, excluded)
                        && (best < 0 || compare(ledger, req, avoided, position, best) < 0))
                    best = position;
            return best < 0 ? List.of() : List.of(best);
        }
        if (howMany == 1) {
            int best = -1;
            for (int position = 0; position < ledger.size(); position++)
                if (isCandidate(ledger.free(position), req, excluded)
                        && (best < 0 || compare(ledger, req, avoided, position, best) < 0))
                    best = position;
            return best < 0 ? List.of() : List.of(best);
        }
        var worstOnTop = new PriorityQueue<>(bestFirst.reversed());
        for (int position = 0; position < ledger.size(); position++) {
            if (!isCandidate(ledger.free(position), req, excluded)) continue;
            if (worstOnTop.size() < howMany) {
                worstOnTop.add(position);
            } else if (bestFirst.compare(position, worstOnTop.peek()) < 0) {
                worstOnTop.poll();
                worstOnTop.add(position);
            }
        }
        var best = new ArrayList<>(worstOnTop);
        best.sort(bestFirst);
        return best;
    }

    private boolean isCandidate(NodeCapacity free, RunRequirements req, Set<UUID> excluded) {
        return passesFilters(free, req) && (excluded.isEmpty() || !excluded.contains(free.nodeUuid()));
    }

    private int compare(CapacityLedger ledger, RunRequirements req, Set<UUID> avoided, int a, int b) {
        NodeCapacity nodeA = ledger.free(a);
        NodeCapacity nodeB = ledger.free(b);
        if (!avoided.isEmpty()) {
            int byAvoided = Boolean.compare(avoided.contains(nodeA.nodeUuid()), avoided.contains(nodeB.nodeUuid()));
            if (byAvoided != 0) return byAvoided;
        }
        return scorer.compare(nodeA, nodeB, req);
    }

    /** The first filter that turns this node away for one run of {@code req}, if any: the definition of "fits". */
    Optional<Rejection> firstRejection(NodeCapacity node, RunRequirements req) {
        for (NodeFilter filter : filters) {
            Optional<Rejection> rejection = filter.check(node, req);
            if (rejection.isPresent()) return rejection;
        }
        return Optional.empty();
    }

    private boolean passesFilters(NodeCapacity node, RunRequirements req) {
        for (NodeFilter filter : filters)
            if (filter.check(node, req).isPresent()) return false;
        return true;
    }
}
