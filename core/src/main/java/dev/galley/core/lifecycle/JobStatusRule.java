package dev.galley.core.lifecycle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Derives a job's status from its runs (spec §5.1). Precedence, first match wins:
 * <ol>
 *   <li>cancel requested: CANCELLING while any run is active (those are to be stopped), then CANCELLED.
 *       A cancel can only be requested while the job is not final, so it came before any later failure.</li>
 *   <li>FAILED: a node index gave up (see {@link RetryPolicy}), or a slot timed out waiting for a node;
 *       every still-active run is to be stopped.</li>
 *   <li>COMPLETED: every node index completed.</li>
 *   <li>PENDING: some slot waits for a node — the first placement, or a retry. This wins over RUNNING
 *       (spec: "PENDING while a run slot waits"), so a multi-node job with one index waiting for a retry
 *       reads PENDING, and the reason says which index waits.</li>
 *   <li>RUNNING: any run is RUNNING.</li>
 *   <li>ASSIGNED: the active runs are all ASSIGNED or PREPARING.</li>
 * </ol>
 * A PENDING verdict carries WAITING_FOR_CAPACITY; the scheduler replaces code and text with the more
 * precise ones from its latest placement round ({@code Unplaced}).
 *
 * <p>Callers derive only while the job is not final: once a verdict is final the job keeps that status,
 * code and reason, and its remaining active runs are stopped. Re-deriving is still stable in the common
 * case — an index that "gave up" only because its run was stopped (CANCELLED) ranks after real failures
 * and after an assign timeout, so stopping the siblings of a failed index does not rewrite the reason.
 */
public final class JobStatusRule {
    private JobStatusRule() {}

    /**
     * The verdict for a job whose first placement just created {@code nodeCount} runs, all ASSIGNED (and
     * nothing else happened to it, which the job row lock of the placement guarantees). The same for every job
     * of that node count, so a placement round derives it once per node count and writes its jobs together.
     */
    public static JobVerdict afterFirstPlacement(int nodeCount) {
        var runs = new ArrayList<RunRecord>(nodeCount);
        for (int index = 0; index < nodeCount; index++)
            runs.add(new RunRecord(new UUID(0, index), null, index, 1, RunStatus.ASSIGNED, null, null));
        return derive(new JobFacts(false, false, nodeCount, 0, runs));
    }

    public static JobVerdict derive(JobFacts facts) {
        List<UUID> active = facts.runs().stream().filter(r -> r.status().isActive()).map(RunRecord::runUuid).toList();

        if (facts.cancelRequested()) {
            if (active.isEmpty())
                return verdict(JobStatus.CANCELLED, ReasonCode.CANCELLED_BY_USER, "cancelled by user", List.of(), List.of());
            return verdict(JobStatus.CANCELLING, ReasonCode.CANCELLED_BY_USER,
                    "cancelled by user; stopping " + active.size() + " run(s)", active, List.of());
        }
        if (facts.nodeCount() == null) {
            if (facts.assignTimedOut()) return assignTimeout(active);
            return verdict(JobStatus.PENDING, ReasonCode.WAITING_FOR_CAPACITY, "waiting for a node", List.of(), List.of());
        }

        var failedForGood = new ArrayList<RetryDecision.GiveUp>();
        var stoppedForGood = new ArrayList<RetryDecision.GiveUp>();
        var retries = new ArrayList<RetryDecision.Retry>();
        int completed = 0;
        boolean anyRunning = false;
        RetryPolicy policy = new RetryPolicy(facts.maxRetryCount());
        for (int index = 0; index < facts.nodeCount(); index++) {
            List<RunRecord> history = runsOf(facts.runs(), index);
            if (history.isEmpty()) {
                retries.add(new RetryDecision.Retry(index, 1, Set.of()));
                continue;
            }
            RunRecord latest = history.getLast();
            switch (latest.status()) {
                case COMPLETED -> completed++;
                case RUNNING -> anyRunning = true;
                case ASSIGNED, PREPARING -> { }
                case FAILED, CANCELLED -> {
                    switch (policy.decide(history)) {
                        case RetryDecision.Retry retry -> retries.add(retry);
                        case RetryDecision.GiveUp giveUp ->
                                (latest.status() == RunStatus.FAILED ? failedForGood : stoppedForGood).add(giveUp);
                    }
                }
            }
        }

        if (!failedForGood.isEmpty()) return failed(failedForGood, active);
        if (facts.assignTimedOut()) return assignTimeout(active);
        if (!stoppedForGood.isEmpty()) return failed(stoppedForGood, active);
        if (completed == facts.nodeCount())
            return verdict(JobStatus.COMPLETED, null, null, List.of(), List.of());
        if (!retries.isEmpty())
            return verdict(JobStatus.PENDING, ReasonCode.WAITING_FOR_CAPACITY, waitingText(retries), List.of(), retries);
        if (anyRunning) return verdict(JobStatus.RUNNING, null, null, List.of(), List.of());
        return verdict(JobStatus.ASSIGNED, null, null, List.of(), List.of());
    }

    private static List<RunRecord> runsOf(List<RunRecord> runs, int nodeIndex) {
        return runs.stream().filter(r -> r.nodeIndex() == nodeIndex)
                .sorted(Comparator.comparingInt(RunRecord::attempt)).toList();
    }

    private static JobVerdict failed(List<RetryDecision.GiveUp> giveUps, List<UUID> active) {
        RetryDecision.GiveUp first = giveUps.getFirst();
        String more = giveUps.size() > 1 ? " (and " + (giveUps.size() - 1) + " more node index(es) failed)" : "";
        return verdict(JobStatus.FAILED, first.reasonCode(), first.reason() + more, active, List.of());
    }

    private static JobVerdict assignTimeout(List<UUID> active) {
        return verdict(JobStatus.FAILED, Deadline.ASSIGN.reasonCode(), Deadline.ASSIGN.reason(), active, List.of());
    }

    private static String waitingText(List<RetryDecision.Retry> retries) {
        var text = new StringBuilder();
        for (RetryDecision.Retry retry : retries) {
            if (!text.isEmpty()) text.append("; ");
            text.append("node index ").append(retry.nodeIndex()).append(" waiting for a node (attempt ")
                    .append(retry.attempt()).append(')');
        }
        return text.toString();
    }

    private static JobVerdict verdict(JobStatus status, ReasonCode code, String reason, List<UUID> stop,
                                      List<RetryDecision.Retry> retries) {
        return new JobVerdict(status, code, reason, stop, retries);
    }
}
