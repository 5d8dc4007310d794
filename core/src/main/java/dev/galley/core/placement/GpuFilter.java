package dev.galley.core.placement;

import java.util.Optional;

/**
 * {@code gpu_count} free GPUs, each of the requested model and with VRAM ≥ {@code min_vram_gb}. One filter
 * rather than three (count, model, VRAM): the conditions hold per device, so "2 GPUs of the model" and
 * "2 GPUs with 48 GB" on a node with one of each must not add up to a fit.
 */
public final class GpuFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        int wanted = requirements.gpuCount();
        if (wanted == 0) return Optional.empty();
        // The free count is a field read: most nodes are rejected here without walking their devices.
        if (node.freeGpuCount() < wanted) return Rejection.NOT_ENOUGH_GPUS.asOptional();
        return node.countQualifyingGpus(requirements, wanted) >= wanted
                ? Optional.empty() : Rejection.NOT_ENOUGH_GPUS.asOptional();
    }
}
