package dev.galley.core.lifecycle;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The deadlines the server enforces (spec §5.2): which run statuses each applies to, and the code and
 * reason it fails a run (or, for {@link #ASSIGN}, a job) with. A deadline that fires for a run that has
 * meanwhile left those statuses (it started, it finished) does nothing.
 */
public enum Deadline {
    /** A run slot waited longer than {@code max_timeout_assign_ms} for a node: no run exists, the job fails. */
    ASSIGN(ReasonCode.ASSIGN_TIMEOUT, "no node was found within max_timeout_assign_ms", EnumSet.noneOf(RunStatus.class)),
    /** A run did not reach RUNNING within {@code max_timeout_start_ms} of its assignment (image pulls count). */
    START(ReasonCode.START_TIMEOUT, "the container did not start within max_timeout_start_ms",
            EnumSet.of(RunStatus.ASSIGNED, RunStatus.PREPARING)),
    /** A BATCH run ran longer than {@code max_timeout_run_ms} and its node did not report it. */
    RUN(ReasonCode.RUN_TIMEOUT, "the run exceeded max_timeout_run_ms", EnumSet.of(RunStatus.RUNNING)),
    /** The node sent no heartbeat for the node TTL: every active run on it is lost. */
    HEARTBEAT(ReasonCode.NODE_LOST, "the node stopped sending heartbeats",
            EnumSet.of(RunStatus.ASSIGNED, RunStatus.PREPARING, RunStatus.RUNNING));

    private final ReasonCode reasonCode;
    private final String reason;
    private final Set<RunStatus> runStatuses;

    Deadline(ReasonCode reasonCode, String reason, Set<RunStatus> runStatuses) {
        this.reasonCode = reasonCode;
        this.reason = reason;
        this.runStatuses = Collections.unmodifiableSet(runStatuses);
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }

    /** The human text stored as {@code status_reason}. */
    public String reason() {
        return reason;
    }

    /** The statuses of runs this deadline fails; empty for {@link #ASSIGN}, which fails a job. */
    public Set<RunStatus> runStatuses() {
        return runStatuses;
    }

    /** Whether a run now in {@code status} is failed by this deadline (false once it moved on). */
    public boolean fails(RunStatus status) {
        return runStatuses.contains(status);
    }
}
