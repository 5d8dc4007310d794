package dev.galley.core.lifecycle;

/**
 * The status of one job run (spec §5.1), and the single source of its legal transitions.
 *
 * <pre>
 * ASSIGNED  → PREPARING | RUNNING | FAILED | CANCELLED
 * PREPARING → RUNNING | FAILED | CANCELLED
 * RUNNING   → COMPLETED | FAILED | CANCELLED
 * COMPLETED, FAILED, CANCELLED: final
 * </pre>
 *
 * ASSIGNED may skip PREPARING: an agent that already has the image can go straight to RUNNING.
 *
 * <p>Repeating the current status (same → same) is accepted as an idempotent no-op, also for final
 * statuses: a node whose PATCH timed out on the network re-sends it, and answering 409 would make the
 * agent believe it lost the run. Callers should write nothing (and not bump {@code updated_at}) for a
 * repeat.
 */
public enum RunStatus {
    ASSIGNED,
    PREPARING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    /** A final run never changes again (except for idempotent repeats of the same status). */
    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** An active run holds capacity on its node. */
    public boolean isActive() {
        return !isFinal();
    }

    public boolean canMoveTo(RunStatus next) {
        if (next == this) return true;
        return switch (this) {
            case ASSIGNED -> next == PREPARING || next == RUNNING || next == FAILED || next == CANCELLED;
            case PREPARING -> next == RUNNING || next == FAILED || next == CANCELLED;
            case RUNNING -> next == COMPLETED || next == FAILED || next == CANCELLED;
            case COMPLETED, FAILED, CANCELLED -> false;
        };
    }
}
