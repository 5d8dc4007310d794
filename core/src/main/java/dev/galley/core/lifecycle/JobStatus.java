package dev.galley.core.lifecycle;

/** The status of a job (spec §5.1); {@link JobStatusRule} derives it from the job's runs. */
public enum JobStatus {
    PENDING,
    ASSIGNED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLING,
    CANCELLED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** Cancelling a finished job is a 409; cancelling a CANCELLING job again is harmless. */
    public boolean canBeCancelled() {
        return !isFinal();
    }
}
