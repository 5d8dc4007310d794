package dev.galley.core.placement;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One run to create: job {@code jobUuid}, node index {@code nodeIndex} of {@code nodeCount}, on
 * {@code nodeUuid}, holding GPU devices {@code gpuDeviceIndexes} (device indexes on that node).
 */
public record Placement(UUID jobUuid, int nodeIndex, int nodeCount, int attempt, UUID nodeUuid,
                        List<Integer> gpuDeviceIndexes) implements PlacementDecision {
    public Placement {
        Objects.requireNonNull(jobUuid, "jobUuid");
        Objects.requireNonNull(nodeUuid, "nodeUuid");
        gpuDeviceIndexes = List.copyOf(gpuDeviceIndexes);
    }

    /** Shortcut for {@code PlacementPipeline.standard().place(nodes, jobs)}. */
    public static PlacementPlan place(List<NodeSnapshot> nodes, List<PendingJob> jobs) {
        return PlacementPipeline.standard().place(nodes, jobs);
    }
}
