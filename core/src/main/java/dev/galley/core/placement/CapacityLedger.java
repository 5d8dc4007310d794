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

    CapacityLedger(List<NodeSnapshot> nodes) {
        int n = nodes.size();
        whenEmpty = new NodeCapacity[n];
        free = new NodeCapacity[n];
        shapeOf = new NodeCapacity.Shape[n];
        byNodeUuid = Comparator.comparing((Integer p) -> whenEmpty[p].nodeUuid());
        var seen = new HashSet<UUID>(n * 2);
        var sharedStrings = new HashMap<String, String>();
        for (int i = 0; i < n; i++) {
            NodeSnapshot node = nodes.get(i);
            if (!seen.add(node.uuid())) throw new IllegalArgumentException("node " + node.uuid() + " appears twice");
            whenEmpty[i] = NodeCapacity.whenEmpty(node, sharedStrings);
            free[i] = whenEmpty[i].minus(node.held());
        }
        for (int i = 0; i < n; i++) group(i);
    }

    private void group(int position) {
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
        TreeSet<Integer> old = groups.get(shapeOf[position]);
        old.remove(position);
        if (old.isEmpty()) groups.remove(shapeOf[position]);
        free[position] = free[position].minus(new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(),
                new HashSet<>(gpuDeviceIndexes)));
        group(position);
    }
}
