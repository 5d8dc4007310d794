package dev.galley.core.placement;

import java.util.Objects;
import java.util.Set;

/**
 * What one run of a job needs from a node (spec §3, §5.3). Equal requirements place alike, which the
 * pipeline uses to skip jobs identical to one that just failed to fit.
 *
 * @param minVramGb          per assigned GPU
 * @param allowedRegionCodes empty = anywhere
 */
public record RunRequirements(int cpuCount, int gpuCount, GpuModelRequirement gpuModel, double minVramGb,
                              double minRamGb, double minStorageGb, Set<String> allowedRegionCodes) {
    public RunRequirements {
        Objects.requireNonNull(gpuModel, "gpuModel");
        allowedRegionCodes = Set.copyOf(allowedRegionCodes);
        if (cpuCount < 0 || gpuCount < 0 || minVramGb < 0 || minRamGb < 0 || minStorageGb < 0)
            throw new IllegalArgumentException("requirements cannot be negative");
    }
}
