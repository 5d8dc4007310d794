package dev.galley.core.placement;

import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/** A job with runs waiting for nodes. Jobs are placed oldest first: by creation time, then uuid. */
public record PendingJob(UUID jobUuid, long createdAtMs, RunRequirements requirements, RunSlots slots) {
    public static final Comparator<PendingJob> OLDEST_FIRST =
            Comparator.comparingLong(PendingJob::createdAtMs).thenComparing(PendingJob::jobUuid);

    public PendingJob {
        Objects.requireNonNull(jobUuid, "jobUuid");
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(slots, "slots");
    }
}
