package dev.galley.core.lifecycle;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Decides whether a failed node index gets another run (spec §5.2).
 *
 * <p>Two budgets per index, counted over its whole run history:
 * <ul>
 *   <li>ordinary failures — START_TIMEOUT, IMAGE_PULL_FAILED, RUN_TIMEOUT, EXIT_NONZERO, a FAILED run
 *       without a code, and a CANCELLED run (the rules only see one while the job is not being cancelled,
 *       i.e. something stopped it behind the job's back; counting it keeps that from looping forever).
 *       The index is retried while it has failed at most {@code max_retry_count} times.</li>
 *   <li>NODE_LOST failures — the job is not at fault, so they do not use up {@code max_retry_count};
 *       they have their own cap: retried while the index lost its node at most {@link #NODE_LOST_CAP}
 *       times.</li>
 * </ul>
 * Only the budget of the latest failure's kind decides. When an index gives up, the code is
 * RETRIES_EXHAUSTED if that budget allowed any retry, else the failure's own code (a job with
 * {@code max_retry_count = 0} that exits non-zero fails with EXIT_NONZERO, which says more).
 */
public record RetryPolicy(int maxRetryCount) {
    public static final int NODE_LOST_CAP = 3;

    public RetryPolicy {
        if (maxRetryCount < 0) throw new IllegalArgumentException("maxRetryCount must be >= 0, got " + maxRetryCount);
    }

    /**
     * @param runsOfIndex every run so far of ONE node index; the latest (highest attempt) must have
     *                    failed or been cancelled, and none may be active
     */
    public RetryDecision decide(List<RunRecord> runsOfIndex) {
        if (runsOfIndex.isEmpty()) throw new IllegalArgumentException("no runs to decide on");
        int nodeIndex = runsOfIndex.getFirst().nodeIndex();
        RunRecord latest = runsOfIndex.stream().max(Comparator.comparingInt(RunRecord::attempt)).orElseThrow();
        int nodeLosses = 0;
        int ordinaryFailures = 0;
        Set<UUID> failedOn = new HashSet<>();
        for (RunRecord run : runsOfIndex) {
            if (run.nodeIndex() != nodeIndex)
                throw new IllegalArgumentException("runs of several node indexes: " + nodeIndex + " and " + run.nodeIndex());
            if (run.status().isActive())
                throw new IllegalArgumentException("run " + run.runUuid() + " is still " + run.status());
            if (run.status() == RunStatus.COMPLETED) {
                if (run == latest) throw new IllegalArgumentException("node index " + nodeIndex + " completed; nothing to retry");
                continue;
            }
            if (isNodeLoss(run)) nodeLosses++;
            else ordinaryFailures++;
            if (run.nodeUuid() != null) failedOn.add(run.nodeUuid());
        }

        if (isNodeLoss(latest)) {
            if (nodeLosses <= NODE_LOST_CAP) return new RetryDecision.Retry(nodeIndex, latest.attempt() + 1, failedOn);
            return new RetryDecision.GiveUp(nodeIndex, ReasonCode.RETRIES_EXHAUSTED,
                    "node index " + nodeIndex + " lost its node " + nodeLosses + " times (at most "
                            + NODE_LOST_CAP + " are retried)");
        }
        if (ordinaryFailures <= maxRetryCount) return new RetryDecision.Retry(nodeIndex, latest.attempt() + 1, failedOn);
        if (maxRetryCount == 0 && latest.reasonCode() != null)
            return new RetryDecision.GiveUp(nodeIndex, latest.reasonCode(),
                    "node index " + nodeIndex + " failed: " + describe(latest));
        return new RetryDecision.GiveUp(nodeIndex, ReasonCode.RETRIES_EXHAUSTED,
                "node index " + nodeIndex + " failed " + ordinaryFailures + " times (max_retry_count " + maxRetryCount
                        + "); last: " + describe(latest));
    }

    private static boolean isNodeLoss(RunRecord run) {
        return run.status() == RunStatus.FAILED && run.reasonCode() == ReasonCode.NODE_LOST;
    }

    private static String describe(RunRecord run) {
        String code = run.reasonCode() == null ? run.status().name() : run.reasonCode().name();
        return run.statusReason() == null || run.statusReason().isBlank() ? code : code + " (" + run.statusReason() + ")";
    }
}
