package dev.galley.core.placement;

import dev.galley.core.lifecycle.ReasonCode;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Run slots of a job that found no node this round; the job stays PENDING with this code and reason.
 *
 * @param nodeIndexes the waiting node indexes of a sized job; empty for a first placement (the whole job)
 * @param reasonCode  NO_MATCHING_NODE when no schedulable node could fit it even empty, else WAITING_FOR_CAPACITY
 * @param reason      human text naming the closest miss or the short resource
 * @param rejectedBy  how many nodes each filter turned away at the current free capacity (Nomad's
 *                    "nodes filtered"), for operators and metrics
 */
public record Unplaced(UUID jobUuid, List<Integer> nodeIndexes, ReasonCode reasonCode, String reason,
                       Map<Rejection, Integer> rejectedBy) implements PlacementDecision {
    public Unplaced {
        Objects.requireNonNull(jobUuid, "jobUuid");
        nodeIndexes = List.copyOf(nodeIndexes);
        if (reasonCode != ReasonCode.NO_MATCHING_NODE && reasonCode != ReasonCode.WAITING_FOR_CAPACITY)
            throw new IllegalArgumentException("an unplaced job waits with NO_MATCHING_NODE or WAITING_FOR_CAPACITY, not " + reasonCode);
        Objects.requireNonNull(reason, "reason");
        rejectedBy = Map.copyOf(rejectedBy);
    }
}
