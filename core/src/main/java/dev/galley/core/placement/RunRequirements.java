package dev.galley.core.placement;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.gpu.GpuCatalog;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

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

    /** The requirements of a validated job spec (or of just its placement fields, as the scheduler reads them). */
    public static RunRequirements ofSpec(JsonNode spec, GpuCatalog catalog) {
        String gpuName = spec.path("gpu_name").isTextual() ? spec.path("gpu_name").asText() : null;
        UUID gpuUuid = spec.path("gpu_registry_uuid").isTextual() ? UUID.fromString(spec.path("gpu_registry_uuid").asText()) : null;
        Set<String> regions = new LinkedHashSet<>();
        spec.path("allowed_region_codes").forEach(x -> regions.add(x.asText()));
        return new RunRequirements(spec.path("cpu_count").asInt(), spec.path("gpu_count").asInt(),
                GpuModelRequirement.resolve(gpuName, gpuUuid, catalog), spec.path("min_vram_gb").asDouble(),
                spec.path("min_ram_gb").asDouble(), spec.path("min_storage_gb").asDouble(), regions);
    }
}
