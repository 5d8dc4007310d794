package dev.galley.core.placement;

import java.util.Optional;

/** Why a node cannot host a run. Filters return the cached {@link #asOptional()} so a "no" allocates nothing. */
public enum Rejection {
    /** The node is not known (any more): only the plan check meets this, for a node deleted since the plan. */
    NODE_GONE,
    /** OFFLINE: no heartbeat within the node TTL. */
    NODE_OFFLINE,
    /** DRAINING: it keeps its runs but takes no new ones. */
    NODE_DRAINING,
    REGION_NOT_ALLOWED,
    NOT_ENOUGH_CPU,
    NOT_ENOUGH_RAM,
    NOT_ENOUGH_STORAGE,
    NOT_ENOUGH_GPUS,
    /** The GPU devices a plan chose are no longer free (plan check only: placement picks free ones). */
    GPU_DEVICES_TAKEN,
    /** The node already runs another node index of the same job (runs of a job stay on distinct nodes). */
    ALREADY_RUNS_THIS_JOB;

    private final Optional<Rejection> optional = Optional.of(this);

    public Optional<Rejection> asOptional() {
        return optional;
    }
}
