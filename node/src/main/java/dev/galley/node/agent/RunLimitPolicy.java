package dev.galley.node.agent;

import dev.galley.node.runtime.ContainerLimits;

/**
 * How much of the node one run's container may use (spec §8): what the job asked for, or the node's
 * per-run default where the job says 0. A job that names no memory does not get the whole machine.
 *
 * @param defaultMemoryBytes the memory limit of a job whose {@code min_ram_gb} is 0 ({@code --default-run-memory-gb})
 * @param defaultCpus        the CPU limit of a job whose {@code cpu_count} is 0 ({@code --default-run-cpus})
 * @param pidsLimit          the process/thread limit of every run ({@code --run-pids-limit})
 * @param hostCpus           the machine's real logical cores (simulated ones not counted): no CPU limit goes
 *                           above them, docker refuses such a limit and it would mean nothing anyway
 */
public record RunLimitPolicy(long defaultMemoryBytes, double defaultCpus, long pidsLimit, int hostCpus) {
    static final long BYTES_PER_GB = 1024L * 1024 * 1024;
    public static final double DEFAULT_MEMORY_GB = 1;
    public static final double DEFAULT_CPUS = 1;
    public static final long DEFAULT_PIDS_LIMIT = 4096;

    public RunLimitPolicy {
        if (defaultMemoryBytes < ContainerLimits.MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("the default run memory must be at least 6 MiB, was " + defaultMemoryBytes + " bytes");
        }
        if (!(defaultCpus > 0) || Double.isInfinite(defaultCpus)) throw new IllegalArgumentException("the default run CPUs must be > 0, was " + defaultCpus);
        if (pidsLimit < 1) throw new IllegalArgumentException("the run pids limit must be > 0, was " + pidsLimit);
        if (hostCpus < 1) throw new IllegalArgumentException("the host must have at least one CPU, was " + hostCpus);
    }

    /** 1 GB memory, 1 CPU and 4096 processes for a run that does not say. */
    public static RunLimitPolicy defaults(int hostCpus) {
        return new RunLimitPolicy(gigabytes(DEFAULT_MEMORY_GB), DEFAULT_CPUS, DEFAULT_PIDS_LIMIT, hostCpus);
    }

    /** GB as the API means it (2^30 bytes), rounded up to whole bytes. */
    public static long gigabytes(double gb) {
        return (long) Math.ceil(gb * BYTES_PER_GB);
    }

    /** The limits of a job asking for {@code cpuCount} cores and {@code minRamGb} GB (0 = not said). */
    public ContainerLimits limitsFor(int cpuCount, double minRamGb) {
        double cpus = Math.min(cpuCount > 0 ? cpuCount : defaultCpus, hostCpus);
        long memory = minRamGb > 0 ? Math.max(ContainerLimits.MIN_MEMORY_BYTES, gigabytes(minRamGb)) : defaultMemoryBytes;
        return new ContainerLimits(cpus, memory, pidsLimit);
    }
}
