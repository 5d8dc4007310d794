package dev.galley.node.runtime;

/**
 * The resource limits every container gets (spec §8: co-tenants on one node are isolated). There is no
 * "unlimited": a container that could take all of the host's memory, CPU or process table would starve
 * every other run on the node, so each limit must be positive.
 *
 * @param cpus        CPU limit in cores ({@code --cpus})
 * @param memoryBytes memory limit, swap included ({@code --memory} and {@code --memory-swap})
 * @param pidsLimit   most processes and threads at once ({@code --pids-limit}); stops fork bombs
 */
public record ContainerLimits(double cpus, long memoryBytes, long pidsLimit) {
    /** Docker refuses memory limits below 6 MiB; podman accepts them but the container cannot start in so little. */
    public static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024;

    public ContainerLimits {
        if (!(cpus > 0) || Double.isInfinite(cpus)) throw new IllegalArgumentException("cpus must be > 0, was " + cpus);
        if (memoryBytes < MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("memoryBytes must be >= " + MIN_MEMORY_BYTES + " (6 MiB), was " + memoryBytes);
        }
        if (pidsLimit < 1) throw new IllegalArgumentException("pidsLimit must be > 0, was " + pidsLimit);
    }
}
