package dev.galley.core.lifecycle;

/**
 * The status of a node (spec §6): ONLINE while it heartbeats, OFFLINE once its heartbeat is older than the
 * node TTL (its active runs fail with {@link ReasonCode#NODE_LOST}), DRAINING while it keeps its runs but
 * takes no new ones.
 */
public enum NodeStatus {
    ONLINE,
    OFFLINE,
    DRAINING;

    /** Only an ONLINE node is given new runs; a DRAINING node finishes the ones it has. */
    public boolean takesNewRuns() {
        return this == ONLINE;
    }
}
