package dev.galley.server.runs;

import dev.galley.core.lifecycle.JobFacts;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.JobStatusRule;
import dev.galley.core.lifecycle.JobVerdict;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunRecord;
import dev.galley.core.lifecycle.RunStatus;
import java.time.Instant;
import java.util.List;
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

    public JobReconciler(RunRepository runs) {
        this.runs = runs;
    }

    /** @return the verdict applied, or null when the job is already final (a final job never changes). */
    public JobVerdict reconcile(Handle h, UUID jobUuid, Instant now) {
        var job = h.createQuery("""
                SELECT status, node_count, cancel_requested, assign_timed_out, status_reason, status_reason_code,
                       (spec->>'max_retry_count')::int AS max_retry, (spec->>'max_timeout_assign_ms')::bigint AS assign_ms,
                       started_at, wants_placement, cancel_reason_code, cancel_reason
                FROM jobs WHERE uuid = :uuid FOR UPDATE""")
                .bind("uuid", jobUuid).mapToMap().findOne().orElse(null);
        if (job == null) return null;
        String status = (String) job.get("status");
        List<RunRow> jobRuns = runs.ofJob(h, jobUuid);
        if (JobStatus.valueOf(status).isFinal()) {
            // A final job keeps its verdict; anything still running is told to stop.
            runs.requestStop(h, jobRuns.stream().filter(RunRow::active).map(RunRow::uuid).toList(), now);
            return null;
        }
        var facts = new JobFacts((Boolean) job.get("cancel_requested"), (Boolean) job.get("assign_timed_out"),
                (Integer) job.get("node_count"), (Integer) job.get("max_retry"),
                jobRuns.stream().map(JobReconciler::record).toList());
        JobVerdict v = JobStatusRule.derive(facts);
        runs.requestStop(h, v.runsToStop(), now);

        boolean fin = v.status().isFinal();
        boolean waiting = !fin && (v.status() == JobStatus.PENDING || !v.retries().isEmpty());
        boolean wasWaiting = (Boolean) job.get("wants_placement");
        String reason = v.reason();
        String code = v.reasonCode() == null ? null : v.reasonCode().name();
        // The scheduler's explanation of a wait (closest miss) is more precise than the rule's generic one.
        if (v.status() == JobStatus.PENDING && status.equals("PENDING") && wasWaiting && job.get("status_reason_code") != null) {
            reason = (String) job.get("status_reason");
            code = (String) job.get("status_reason_code");
        }
        // A cancel by the platform (INSUFFICIENT_CREDIT) keeps its own code and reason, not "cancelled by user".
        if (v.reasonCode() == ReasonCode.CANCELLED_BY_USER && job.get("cancel_reason_code") != null) {
            code = (String) job.get("cancel_reason_code");
            reason = (String) job.get("cancel_reason");
        }
        boolean anyRunning = jobRuns.stream().anyMatch(r -> r.status().equals("RUNNING") || r.startedAt() != null);
        long assignMs = (Long) job.get("assign_ms");
        h.createUpdate("""
                UPDATE jobs SET status = :status, status_reason = :reason, status_reason_code = :code,
                    wants_placement = :waiting,
                    timeout_assign_at_ms = CASE WHEN NOT :waiting THEN NULL
                                                WHEN wants_placement THEN timeout_assign_at_ms
                                                ELSE :assignDeadline END,
                    started_at = CASE WHEN started_at IS NULL AND :running THEN :now ELSE started_at END,
                    completed_at = CASE WHEN :fin THEN :now ELSE completed_at END,
                    updated_at = CASE WHEN status <> :status OR status_reason IS DISTINCT FROM :reason THEN :now ELSE updated_at END,
                    version = version + 1
                WHERE uuid = :uuid""")
                .bind("uuid", jobUuid).bind("status", v.status().name()).bind("reason", reason).bind("code", code)
                .bind("waiting", waiting).bind("assignDeadline", now.toEpochMilli() + assignMs)
                .bind("running", anyRunning).bind("now", now).bind("fin", fin).execute();
        return v;
    }

    public static RunRecord record(RunRow r) {
        ReasonCode code = null;
        if (r.statusReasonCode() != null) {
            try {
                code = ReasonCode.valueOf(r.statusReasonCode());
            } catch (IllegalArgumentException ignored) {
                // a code this version does not know counts as an ordinary failure
            }
        }
        return new RunRecord(r.uuid(), r.nodeUuid(), r.nodeIndex(), r.attempt(), RunStatus.valueOf(r.status()), code, r.statusReason());
    }

}
