package dev.galley.core.placement;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The runs a pending job needs placed in this round. */
public sealed interface RunSlots {
    /**
     * The job's first placement: as many runs as fit on distinct nodes, at least 1 and at most
     * {@code maxNodeCount}; their number becomes the job's fixed node count.
     */
    record FirstPlacement(int maxNodeCount) implements RunSlots {
        public FirstPlacement {
            if (maxNodeCount < 1) throw new IllegalArgumentException("maxNodeCount must be >= 1, got " + maxNodeCount);
        }
    }

    /**
     * New runs for some node indexes of a job whose node count is fixed.
     *
     * @param nodesRunningThisJob nodes holding an active run of another index of this job; never used,
     *                            so the job's runs stay on distinct nodes
     */
    record Retries(int nodeCount, List<RetrySlot> slots, Set<UUID> nodesRunningThisJob) implements RunSlots {
        public Retries {
            slots = List.copyOf(slots);
            nodesRunningThisJob = Set.copyOf(nodesRunningThisJob);
            if (slots.isEmpty()) throw new IllegalArgumentException("no retry slots");
            for (RetrySlot slot : slots)
                if (slot.nodeIndex() >= nodeCount)
                    throw new IllegalArgumentException("node index " + slot.nodeIndex() + " out of range for " + nodeCount + " nodes");
        }
    }
}
