package dev.galley.core.placement;

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

    CapacityLedger(List<NodeSnapshot> nodes) {
        int n = nodes.size();
        whenEmpty = new NodeCapacity[n];
        free = new NodeCapacity[n];
        var seen = new HashSet<UUID>(n * 2);
        var sharedStrings = new HashMap<String, String>();
        for (int i = 0; i < n; i++) {
            NodeSnapshot node = nodes.get(i);
            if (!seen.add(node.uuid())) throw new IllegalArgumentException("node " + node.uuid() + " appears twice");
            whenEmpty[i] = NodeCapacity.whenEmpty(node, sharedStrings);
            free[i] = whenEmpty[i].minus(node.held());
        }
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
        free[position] = free[position].minus(new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(),
                new HashSet<>(gpuDeviceIndexes)));
    }
}
