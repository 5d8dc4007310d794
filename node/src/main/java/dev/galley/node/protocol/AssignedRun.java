package dev.galley.node.protocol;

import java.util.List;

/**
 * The run part of an assignment ({@code job_run}). {@code gpuDevices} are positions in the node's
 * registered {@code hardware.gpus} list (0-based, real GPUs first, then simulated ones); the agent
 * hands only the real ones to the container.
 */
public record AssignedRun(String uuid, String jobUuid, int nodeIndex, int attempt, List<Integer> gpuDevices) {
    public AssignedRun {
        if (uuid == null || uuid.isBlank()) throw new IllegalArgumentException("the assignment's job_run has no uuid");
        gpuDevices = List.copyOf(gpuDevices);
    }
}
