package dev.galley.server.lifecycle;

import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.ReasonCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * SQL for the columns of a job that follow from its runs: status, reason, node count, whether and since when it
 * waits for a node. Only {@link JobReconciler} uses it, so a job's status has one writer.
 */
public final class JobStatusRepository {
    /**
     * What the reconciler reads about a job, under its row lock.
     *
     * @param nodeCount        null before the first placement
     * @param statusReasonCode null when the job has none, or one this version does not know
     * @param cancelReasonCode why the platform (not the owner) cancelled the job, e.g. INSUFFICIENT_CREDIT; else null
     */
    public record JobStatusRow(JobStatus status, Integer nodeCount, boolean cancelRequested, boolean assignTimedOut,
                               String statusReason, ReasonCode statusReasonCode, int maxRetryCount,
                               long maxTimeoutAssignMs, boolean wantsPlacement, ReasonCode cancelReasonCode,
                               String cancelReason) {}

    public Optional<JobStatusRow> lock(Handle h, UUID job) {
        return h.createQuery("""
                SELECT status, node_count, cancel_requested, assign_timed_out, status_reason, status_reason_code,
                       (spec->>'max_retry_count')::int, (spec->>'max_timeout_assign_ms')::bigint, wants_placement,
                       cancel_reason_code, cancel_reason
                FROM jobs WHERE uuid = :uuid FOR UPDATE""")
                .bind("uuid", job)
                .map((rs, c) -> new JobStatusRow(JobStatus.valueOf(rs.getString(1)), rs.getObject(2, Integer.class),
                        rs.getBoolean(3), rs.getBoolean(4), rs.getString(5), ReasonCode.fromStored(rs.getString(6)), rs.getInt(7),
                        rs.getLong(8), rs.getBoolean(9), ReasonCode.fromStored(rs.getString(10)), rs.getString(11)))
                .findOne();
    }

    /**
     * Stores a derived status. {@code waiting}: a slot waits for a node; its assign deadline starts when the job
     * starts waiting and is kept while it goes on. {@code running}: a run has started (sets {@code started_at} once).
     */
    public void write(Handle h, UUID job, JobStatus status, String reason, ReasonCode code, boolean waiting,
                      long assignDeadlineMs, boolean running, Instant now) {
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
                .bind("uuid", job).bind("status", status.name()).bind("reason", reason)
                .bind("code", code == null ? null : code.name()).bind("waiting", waiting)
                .bind("assignDeadline", assignDeadlineMs).bind("running", running).bind("now", now)
                .bind("fin", status.isFinal()).execute();
    }

    /**
     * Stores the first placement of many jobs in one statement (a round places up to 10,000): their node counts,
     * and the status the lifecycle rule gives every job whose runs were all just assigned. They no longer wait.
     */
    public void writeFirstPlacements(Handle h, UUID[] jobs, Integer[] nodeCounts, JobStatus status, String reason,
                                     ReasonCode code, Instant now) {
        h.createUpdate("""
                UPDATE jobs j SET status = :status, status_reason = :reason, status_reason_code = :code,
                    node_count = u.n, wants_placement = false, timeout_assign_at_ms = NULL,
                    updated_at = :now, version = version + 1
                FROM unnest(CAST(:ids AS uuid[]), CAST(:counts AS int[])) AS u(id, n) WHERE j.uuid = u.id""")
                .bind("ids", jobs).bind("counts", nodeCounts).bind("status", status.name()).bind("reason", reason)
                .bind("code", code == null ? null : code.name()).bind("now", now).execute();
    }

    /** Why each of these jobs still waits, written only where it changed and only while they wait. */
    public void writeWaitReasons(Handle h, UUID[] jobs, String[] reasons, String[] codes) {
        // updated_at is left alone: refining why a job waits is not a change to the job, and touching no
        // indexed column lets PostgreSQL update the row in place (HOT) instead of adding an entry to every index.
        h.createUpdate("""
                UPDATE jobs j SET status_reason = u.reason, status_reason_code = u.code
                FROM unnest(CAST(:ids AS uuid[]), CAST(:reasons AS text[]), CAST(:codes AS text[])) AS u(id, reason, code)
                WHERE j.uuid = u.id AND j.wants_placement AND j.status = :pending
                  AND (j.status_reason IS DISTINCT FROM u.reason OR j.status_reason_code IS DISTINCT FROM u.code)""")
                .bind("ids", jobs).bind("reasons", reasons).bind("codes", codes).bind("pending", JobStatus.PENDING.name())
                .execute();
    }

    /** Flags the jobs whose waiting slot is past its assign deadline (once each); returns them. */
    public List<UUID> markAssignTimedOut(Handle h, long nowMs) {
        return h.createQuery("""
                UPDATE jobs SET assign_timed_out = true
                WHERE wants_placement AND NOT assign_timed_out AND timeout_assign_at_ms <= :now RETURNING uuid""")
                .bind("now", nowMs).mapTo(UUID.class).list();
    }
}
