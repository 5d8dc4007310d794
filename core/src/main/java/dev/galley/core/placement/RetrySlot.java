package dev.galley.core.placement;

import dev.galley.core.lifecycle.RetryDecision;

import java.util.Set;
import java.util.UUID;

/**
 * A node index of an already-sized job that needs a new run.
 *
 * @param failedOnNodes nodes this index already failed on; placement prefers any other fitting node
 */
public record RetrySlot(int nodeIndex, int attempt, Set<UUID> failedOnNodes) {
    public RetrySlot {
        failedOnNodes = Set.copyOf(failedOnNodes);
        if (nodeIndex < 0) throw new IllegalArgumentException("nodeIndex must be >= 0, got " + nodeIndex);
        if (attempt < 1) throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
    }

    public static RetrySlot of(RetryDecision.Retry retry) {
        return new RetrySlot(retry.nodeIndex(), retry.attempt(), retry.failedOnNodes());
    }
}
