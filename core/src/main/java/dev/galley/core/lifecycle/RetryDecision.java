package dev.galley.core.lifecycle;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/** What {@link RetryPolicy} decided for one node index whose latest run failed. */
public sealed interface RetryDecision {
    int nodeIndex();

    /**
     * Place a new run for the index.
     *
     * @param attempt         the new run's attempt number (latest + 1)
     * @param failedOnNodes   nodes on which this index already failed; placement prefers others
     */
    record Retry(int nodeIndex, int attempt, Set<UUID> failedOnNodes) implements RetryDecision {
        public Retry {
            failedOnNodes = Set.copyOf(failedOnNodes);
        }
    }

    /** The index failed for good, and so does the job. */
    record GiveUp(int nodeIndex, ReasonCode reasonCode, String reason) implements RetryDecision {
        public GiveUp {
            Objects.requireNonNull(reasonCode, "reasonCode");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
