package dev.galley.core.lifecycle;

import java.util.List;

/**
 * Everything {@link JobStatusRule} derives a job's status from. All of it only ever moves forward
 * (runs are appended, run statuses only advance, the flags are set once), so the derived status is
 * stable: re-deriving after an unrelated event never undoes a final status.
 *
 * @param cancelRequested a user cancelled the job while it was not final
 * @param assignTimedOut  the reaper found a run slot waiting past {@code timeout_assign_at_ms}
 * @param nodeCount       the job's fixed node count; null before its first placement
 * @param maxRetryCount   the job's {@code max_retry_count}
 * @param runs            every run of the job, any order
 */
public record JobFacts(boolean cancelRequested, boolean assignTimedOut, Integer nodeCount, int maxRetryCount,
                       List<RunRecord> runs) {
    public JobFacts {
        runs = List.copyOf(runs);
        if (nodeCount == null && !runs.isEmpty())
            throw new IllegalArgumentException("a job without a node count has no runs yet");
        if (nodeCount != null) {
            if (nodeCount < 1) throw new IllegalArgumentException("nodeCount must be >= 1, got " + nodeCount);
            for (RunRecord run : runs)
                if (run.nodeIndex() >= nodeCount)
                    throw new IllegalArgumentException("run " + run.runUuid() + " has node index " + run.nodeIndex()
                            + " but the job has " + nodeCount + " nodes");
        }
    }
}
