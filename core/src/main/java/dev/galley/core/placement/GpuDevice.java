package dev.galley.core.placement;

import java.util.Objects;
import java.util.UUID;

/**
 * One GPU of a node, as reported by its agent.
 *
 * @param index        the device index on the node (what the container runtime is given)
 * @param registryUuid the GPU registry entry the reported name resolved to; null when unknown
 */
public record GpuDevice(int index, String name, UUID registryUuid, double vramGb) {
    public GpuDevice {
        Objects.requireNonNull(name, "name");
        if (index < 0) throw new IllegalArgumentException("index must be >= 0, got " + index);
        if (vramGb < 0) throw new IllegalArgumentException("vramGb must be >= 0, got " + vramGb);
    }
}
