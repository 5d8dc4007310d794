package dev.galley.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeSet;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * The working state of ONE placement round: every node's capacity when empty and what is still free,
 * including what earlier placements of this round took. Created per {@code place} call and never shared,
 * so the accumulated usage is an explicit argument of every stage that needs it.
 */
final class CapacityLedger {
    private final NodeCapacity[] whenEmpty;
    private final NodeCapacity[] free;
    /**
     * Positions grouped by free-capacity shape, each group ordered by node uuid. Equal shapes fit and score
     * alike, so the single-slot search looks at one node per group: with thousands of identical nodes a
     * round does a few dozen comparisons per job instead of thousands.
     */
    private final Map<NodeCapacity.Shape, TreeSet<Integer>> groups = new HashMap<>();
    private final NodeCapacity.Shape[] shapeOf;
    private final Comparator<Integer> byNodeUuid;
    /**
     * Every position in the order {@link TightestFitScorer} ranks nodes for a job without GPUs: free GPUs,
     * then free CPU, RAM, storage, reputation (highest first), node uuid. A CPU-only job's best node is the first in this order that
     * passes the filters, found from a seek instead of a scan. Slot {@code size()} holds seek probes.
     */
    private final TreeSet<Integer> byCpuOnlyFit;
    private final NodeCapacity[] keys;

    CapacityLedger(List<NodeSnapshot> nodes) {
        int n = nodes.size();
        whenEmpty = new NodeCapacity[n];
        free = new NodeCapacity[n];
        shapeOf = new NodeCapacity.Shape[n];
        byNodeUuid = Comparator.comparing((Integer p) -> whenEmpty[p].nodeUuid());
        keys = new NodeCapacity[n + 1];
        byCpuOnlyFit = new TreeSet<>((a, b) -> compareCpuOnlyFit(keys[a], keys[b]));
        var seen = new HashSet<UUID>(n * 2);
        var sharedStrings = new NodeCapacity.SharedStrings();
        for (int i = 0; i < n; i++) {
            NodeSnapshot node = nodes.get(i);
            if (!seen.add(node.uuid())) throw new IllegalArgumentException("node " + node.uuid() + " appears twice");
            whenEmpty[i] = NodeCapacity.whenEmpty(node, sharedStrings);
            free[i] = whenEmpty[i].minus(node.held());
        }
        for (int i = 0; i < n; i++) group(i);
    }

    private static int compareCpuOnlyFit(NodeCapacity a, NodeCapacity b) {
        int c = Integer.compare(a.freeGpuCount(), b.freeGpuCount());
        if (c != 0) return c;
        c = Integer.compare(a.cpuCores(), b.cpuCores());
        if (c != 0) return c;
        c = Double.compare(a.ramGb(), b.ramGb());
        if (c != 0) return c;
        c = Double.compare(a.storageGb(), b.storageGb());
        if (c != 0) return c;
        c = Double.compare(b.reputation(), a.reputation()); // the more reputable first, as the scorer ranks them
        if (c != 0) return c;
        if (a.nodeUuid() == null) return b.nodeUuid() == null ? 0 : -1; // a probe sorts before every node
        if (b.nodeUuid() == null) return 1;
        return a.nodeUuid().compareTo(b.nodeUuid());
    }

    /**
     * The best position for a run needing no GPU: for each free-GPU count (fewest first, as the scorer
     * prefers), seek the first node with enough CPU and walk on while the band lasts, returning the first
     * that {@code fits}. Equivalent to scanning every node with the scorer, in O(bands · log n + skipped).
     */
    int bestCpuOnly(RunRequirements req, java.util.function.IntPredicate fits) {
        int probe = free.length;
        int band = 0;
        while (true) {
            keys[probe] = NodeCapacity.probe(band, req.cpuCount());
            Integer from = byCpuOnlyFit.ceiling(probe);
            if (from == null) return -1;
            int fromBand = keys[from].freeGpuCount();
            if (fromBand != band) { // no node in this band has enough CPU: go to the next band that exists
                band = fromBand;
                continue;
            }
            for (Integer p : byCpuOnlyFit.tailSet(from, true)) {
                if (keys[p].freeGpuCount() != band) break;
                if (fits.test(p)) return p;
            }
            band++;
        }
    }

    private void group(int position) {
        keys[position] = free[position];
        byCpuOnlyFit.add(position);
        NodeCapacity.Shape shape = free[position].shape();
        shapeOf[position] = shape;
        groups.computeIfAbsent(shape, k -> new TreeSet<>(byNodeUuid)).add(position);
    }

    /** One position per distinct shape: the lowest node uuid among the nodes of that shape. */
    List<Integer> representatives() {
        var reps = new ArrayList<Integer>(groups.size());
        for (TreeSet<Integer> g : groups.values()) reps.add(g.first());
        return reps;
    }

    int size() {
        return free.length;
    }

    NodeCapacity whenEmpty(int position) {
        return whenEmpty[position];
    }

    NodeCapacity free(int position) {
        return free[position];
    }

    /** Records a run placed on the node at {@code position}: later jobs of the round see less free. */
    void take(int position, RunRequirements req, List<Integer> gpuDeviceIndexes) {
        byCpuOnlyFit.remove(position); // before its key changes
        TreeSet<Integer> old = groups.get(shapeOf[position]);
        old.remove(position);
        if (old.isEmpty()) groups.remove(shapeOf[position]);
        free[position] = free[position].take(req, gpuDeviceIndexes);
        group(position);
    }
}
