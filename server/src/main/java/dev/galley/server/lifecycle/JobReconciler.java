package dev.galley.server.lifecycle;

import dev.galley.core.lifecycle.JobFacts;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.JobStatusRule;
import dev.galley.core.lifecycle.JobVerdict;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunRecord;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.placement.Unplaced;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The one place that writes a job's derived status: after any run change (node report, timeout, node
 * loss, cancel, placement) it loads the job and its runs under a row lock, asks the pure
 * {@link JobStatusRule} for the verdict, and stores it with the work that follows (stop runs, wait for
 * retries). Callers run it inside their transaction.
 */
public final class JobReconciler {
    private final RunRepository runs;
    private final JobStatusRepository jobs;

    public JobReconciler(RunRepository runs, JobStatusRepository jobs) {
        this.runs = runs;
        this.jobs = jobs;
    }

    /** @return the verdict applied, or null when the job is already final (a final job never changes). */
    public JobVerdict reconcile(Handle h, UUID jobUuid, Instant now) {
        var job = jobs.lock(h, jobUuid).orElse(null);
        if (job == null) return null;
        List<RunRow> jobRuns = runs.ofJob(h, jobUuid);
        if (job.status().isFinal()) {
            // A final job keeps its verdict; anything still running is told to stop.
            runs.requestStop(h, jobRuns.stream().filter(RunRow::active).map(RunRow::uuid).toList(), now);
            return null;
        }
        var facts = new JobFacts(job.cancelRequested(), job.assignTimedOut(), job.nodeCount(), job.maxRetryCount(),
                jobRuns.stream().map(JobReconciler::record).toList());
        JobVerdict v = JobStatusRule.derive(facts);
        runs.requestStop(h, v.runsToStop(), now);

        String reason = v.reason();
        var code = v.reasonCode();
        // The scheduler's explanation of a wait (closest miss) is more precise than the rule's generic one.
        if (v.status() == JobStatus.PENDING && job.status() == JobStatus.PENDING && job.wantsPlacement()
                && job.statusReasonCode() != null) {
            reason = job.statusReason();
            code = job.statusReasonCode();
        }
        // A cancel by the platform (INSUFFICIENT_CREDIT) keeps its own code and reason, not "cancelled by user".
        if (v.reasonCode() == ReasonCode.CANCELLED_BY_USER && job.cancelReasonCode() != null) {
            code = job.cancelReasonCode();
            reason = job.cancelReason();
        }
        boolean anyStarted = jobRuns.stream().anyMatch(r -> r.status() == RunStatus.RUNNING || r.startedAt() != null);
        jobs.write(h, jobUuid, v.status(), reason, code, waits(v), now.toEpochMilli() + job.maxTimeoutAssignMs(), anyStarted, now);
        return v;
    }

    /** A job a placement round just gave its first runs, {@code nodeCount} of them. */
    public record FirstPlacement(UUID jobUuid, int nodeCount) {}

    /**
     * Stores the first placement of a round's jobs. Their runs were all just assigned and, under the job row
     * locks the applier holds, nothing else happened to them, so the verdict depends on the node count alone: it
     * is derived once per node count and written for all those jobs in one statement.
     */
    public void firstPlacements(Handle h, List<FirstPlacement> placed, Instant now) {
        Map<Integer, JobVerdict> byNodeCount = new HashMap<>();
        Map<JobVerdict, List<FirstPlacement>> byVerdict = new LinkedHashMap<>();
        for (FirstPlacement p : placed)
            byVerdict.computeIfAbsent(byNodeCount.computeIfAbsent(p.nodeCount(), JobStatusRule::afterFirstPlacement),
                    v -> new ArrayList<>()).add(p);
        byVerdict.forEach((v, ps) -> {
            if (waits(v) || v.status().isFinal() || !v.runsToStop().isEmpty())
                throw new IllegalStateException("the lifecycle rule no longer settles a first placement: " + v);
            jobs.writeFirstPlacements(h, ps.stream().map(FirstPlacement::jobUuid).toArray(UUID[]::new),
                    ps.stream().map(FirstPlacement::nodeCount).toArray(Integer[]::new), v.status(), v.reason(),
                    v.reasonCode(), now);
        });
    }

    /**
     * Stores why each of these jobs still waits, as the scheduler's latest round found (the closest miss beats the
     * lifecycle rule's generic "waiting for a node"). Only waiting PENDING jobs are touched.
     */
    public void recordWaitReasons(Handle h, List<Unplaced> unplaced) {
        if (unplaced.isEmpty()) return;
        int n = unplaced.size();
        UUID[] ids = new UUID[n];
        String[] reasons = new String[n];
        String[] codes = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = unplaced.get(i).jobUuid();
            reasons[i] = unplaced.get(i).reason();
            codes[i] = unplaced.get(i).reasonCode().name();
        }
        jobs.writeWaitReasons(h, ids, reasons, codes);
    }

    /**
     * Stores that these waiting jobs are held for credit (GALLEY_BILLING=enforce), with the reason each shows (job →
     * reason): code INSUFFICIENT_CREDIT. Only waiting PENDING jobs are touched.
     */
    public void recordCreditWaits(Handle h, Map<UUID, String> reasons) {
        if (reasons.isEmpty()) return;
        UUID[] ids = reasons.keySet().toArray(UUID[]::new);
        String[] texts = new String[ids.length];
        String[] codes = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            texts[i] = reasons.get(ids[i]);
            codes[i] = ReasonCode.INSUFFICIENT_CREDIT.name();
        }
        jobs.writeWaitReasons(h, ids, texts, codes);
    }

    /** Flags the jobs past their assign deadline (the reaper reconciles each of them next). */
    public List<UUID> markAssignTimedOut(Handle h, long nowMs) {
        return jobs.markAssignTimedOut(h, nowMs);
    }

    /** Whether a job with this verdict waits for a node: PENDING, or a node index waiting for a retry. */
    private static boolean waits(JobVerdict v) {
        return !v.status().isFinal() && (v.status() == JobStatus.PENDING || !v.retries().isEmpty());
    }

    /** A code this version does not know reads as none (see Database): it counts as an ordinary failure. */
    public static RunRecord record(RunRow r) {
        return new RunRecord(r.uuid(), r.nodeUuid(), r.nodeIndex(), r.attempt(), r.status(), r.statusReasonCode(), r.statusReason());
    }
}
