package dev.galley.core.placement;

import java.util.HashSet;
import java.util.Set;

/** What the active runs on a node hold: their requested CPU, RAM and storage, and their GPU devices. */
public record HeldResources(int cpuCores, double ramGb, double storageGb, Set<Integer> gpuDeviceIndexes) {
    public static final HeldResources NONE = new HeldResources(0, 0, 0, Set.of());

    public HeldResources {
        gpuDeviceIndexes = Set.copyOf(gpuDeviceIndexes);
        if (cpuCores < 0 || ramGb < 0 || storageGb < 0) throw new IllegalArgumentException("held resources cannot be negative");
    }

    /** Sums two holdings, e.g. while adding up the active runs of a node. */
    public HeldResources plus(HeldResources other) {
        var gpus = new HashSet<>(gpuDeviceIndexes);
        gpus.addAll(other.gpuDeviceIndexes);
        return new HeldResources(cpuCores + other.cpuCores, ramGb + other.ramGb, storageGb + other.storageGb, gpus);
    }
}
