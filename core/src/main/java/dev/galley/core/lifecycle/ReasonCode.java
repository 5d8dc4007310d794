package dev.galley.core.lifecycle;

/** {@code status_reason_code} of jobs and runs (spec §5.1, a Galley extension to the Dispersed API). */
public enum ReasonCode {
    /** PENDING: some node could run it once capacity frees up. */
    WAITING_FOR_CAPACITY,
    /** PENDING: no schedulable node could ever fit it, even empty. */
    NO_MATCHING_NODE,
    /** A run slot waited longer than {@code max_timeout_assign_ms}: the job fails, no retry. */
    ASSIGN_TIMEOUT,
    /** A run was not RUNNING within {@code max_timeout_start_ms} of its assignment. */
    START_TIMEOUT,
    IMAGE_PULL_FAILED,
    /** A BATCH run ran longer than {@code max_timeout_run_ms}. */
    RUN_TIMEOUT,
    EXIT_NONZERO,
    /** The node stopped heartbeating while the run was active; not the job's fault. */
    NODE_LOST,
    CANCELLED_BY_USER,
    /** A node index failed after using up the retries it was allowed. */
    RETRIES_EXHAUSTED,
    /** GALLEY_BILLING=enforce: the account has no credit; its job waits, or was stopped at a metering cut (spec §9). */
    INSUFFICIENT_CREDIT;

    /**
     * The code stored as {@code code}; null for none, and for a code this version does not know (a newer replica
     * wrote it): readers treat it as an ordinary failure or wait, and the next writer replaces it.
     */
    public static ReasonCode fromStored(String code) {
        if (code == null) return null;
        try {
            return valueOf(code);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
}
