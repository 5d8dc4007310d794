package dev.galley.node.runtime;

/**
 * A container an agent started (it carries {@code galley.managed=true}), found again after a restart. On
 * an engine several agents share it may be another node's: see {@link #nodeUuid()}.
 */
public record ManagedContainer(String id, String name, String jobRunUuid, ContainerState state) {

    /** The node whose agent started it, or null when an agent from before the node label did. */
    public String nodeUuid() {
        return state.nodeUuid();
    }
}
