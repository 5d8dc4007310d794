package dev.galley.node.protocol;

import java.util.Objects;

/**
 * The parts of the job spec the agent acts on. {@code maxTimeoutRunMs} is null for PERSISTENT jobs;
 * {@code cpuCount} and {@code minRamGb} become container limits when above zero.
 */
public record AssignedJob(
        String uuid,
        String task,
        int cpuCount,
        double minRamGb,
        Long maxTimeoutRunMs,
        ContainerParameters container) {

    public static final String BATCH = "BATCH";

    public AssignedJob {
        Objects.requireNonNull(container, "container");
    }

    /** BATCH jobs end by themselves and have a run timeout the node enforces; PERSISTENT ones run until stopped. */
    public boolean isBatch() {
        return BATCH.equals(task);
    }
}
