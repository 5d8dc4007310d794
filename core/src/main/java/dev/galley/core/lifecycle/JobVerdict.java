package dev.galley.core.lifecycle;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The derived state of a job, plus the work that follows from it, as data for the server to carry out.
 *
 * @param reasonCode null when the status needs no explanation (ASSIGNED, RUNNING, COMPLETED)
 * @param reason     human text for {@code status_reason}; null together with {@code reasonCode}
 * @param runsToStop active runs the nodes must be told to stop (on cancel, or when the job failed)
 * @param retries    node indexes waiting for a (new) run, with the attempt number to create
 */
public record JobVerdict(JobStatus status, ReasonCode reasonCode, String reason, List<UUID> runsToStop,
                         List<RetryDecision.Retry> retries) {
    public JobVerdict {
        Objects.requireNonNull(status, "status");
        runsToStop = List.copyOf(runsToStop);
        retries = List.copyOf(retries);
    }
}
