package dev.galley.core.providers;

import java.time.Instant;

/**
 * {@code compute_epoch.status} (spec §10): ACTIVE while the epoch runs (rewards accrue), FINALIZING once it has
 * ended and its rewards are not written yet, FINALIZED once they are.
 */
public enum EpochStatus {
    ACTIVE,
    FINALIZING,
    FINALIZED;

    /** The status of {@code epoch} at {@code now}, given whether its rewards have been written. */
    public static EpochStatus of(Epoch epoch, Instant now, boolean finalized) {
        if (finalized) return FINALIZED;
        return now.isBefore(epoch.endsAt()) ? ACTIVE : FINALIZING;
    }
}
