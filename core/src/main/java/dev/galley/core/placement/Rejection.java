package dev.galley.core.placement;

import java.util.Optional;

/** Why a node cannot host a run. Filters return the cached {@link #asOptional()} so a "no" allocates nothing. */
public enum Rejection {
    NOT_SCHEDULABLE,
    REGION_NOT_ALLOWED,
    NOT_ENOUGH_CPU,
    NOT_ENOUGH_RAM,
    NOT_ENOUGH_STORAGE,
    NOT_ENOUGH_GPUS,
    /** The node already runs another node index of the same job (runs of a job stay on distinct nodes). */
    ALREADY_RUNS_THIS_JOB;

    private final Optional<Rejection> optional = Optional.of(this);

    public Optional<Rejection> asOptional() {
        return optional;
    }
}
