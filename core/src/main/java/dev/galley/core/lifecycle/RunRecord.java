package dev.galley.core.lifecycle;

import java.util.Objects;
import java.util.UUID;

/**
 * What the lifecycle rules need to know about one run of a job.
 *
 * @param reasonCode   the run's {@code status_reason_code}, null when it has none
 * @param statusReason the run's human {@code status_reason}, null when it has none
 */
public record RunRecord(UUID runUuid, UUID nodeUuid, int nodeIndex, int attempt, RunStatus status,
                        ReasonCode reasonCode, String statusReason) {
    public RunRecord {
        Objects.requireNonNull(runUuid, "runUuid");
        Objects.requireNonNull(status, "status");
        if (nodeIndex < 0) throw new IllegalArgumentException("nodeIndex must be >= 0, got " + nodeIndex);
        if (attempt < 1) throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
    }
}
