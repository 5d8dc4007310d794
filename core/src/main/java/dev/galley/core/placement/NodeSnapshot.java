package dev.galley.core.placement;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A node as placement sees it at the start of a round: reported capacity and what its active runs hold.
 *
 * @param regionCode  null when the node declared none (it then fits only jobs allowed anywhere)
 * @param schedulable ONLINE and not draining
 * @param held        what the node's active runs hold; "free" = capacity minus this
 */
public record NodeSnapshot(UUID uuid, String regionCode, boolean schedulable, int cpuCores, double ramGb,
                           double storageGb, List<GpuDevice> gpus, HeldResources held) {
    public NodeSnapshot {
        Objects.requireNonNull(uuid, "uuid");
        gpus = List.copyOf(gpus);
        Objects.requireNonNull(held, "held");
        if (cpuCores < 0 || ramGb < 0 || storageGb < 0) throw new IllegalArgumentException("capacity cannot be negative");
        var indexes = new HashSet<Integer>();
        for (GpuDevice gpu : gpus)
            if (!indexes.add(gpu.index())) throw new IllegalArgumentException("duplicate GPU device index " + gpu.index());
    }
}
