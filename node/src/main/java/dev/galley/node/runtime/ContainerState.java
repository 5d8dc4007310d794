package dev.galley.node.runtime;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code inspect} says about a container. {@code exitCode} is set only once the container has
 * finished (it is the authoritative exit code, see {@link ContainerRuntime}); {@code startedAt} and
 * {@code finishedAt} are null while they have not happened.
 */
public record ContainerState(
        String id,
        String name,
        String status,
        boolean running,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        Map<String, String> labels) {

    public ContainerState {
        labels = Map.copyOf(labels);
    }

    /** True once the container ran and stopped (as opposed to created and never started, or running). */
    public boolean finished() {
        return exitCode != null;
    }

    /** The run this container belongs to, from its {@value ContainerRuntime#LABEL_JOB_RUN_UUID} label, or null. */
    public String jobRunUuid() {
        return labels.get(ContainerRuntime.LABEL_JOB_RUN_UUID);
    }

    /**
     * The node whose agent started this container, from its {@value ContainerRuntime#LABEL_NODE_UUID} label;
     * null for a container started by an agent from before that label.
     */
    public String nodeUuid() {
        return labels.get(ContainerRuntime.LABEL_NODE_UUID);
    }
}
