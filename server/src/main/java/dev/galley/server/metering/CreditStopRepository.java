package dev.galley.server.metering;

import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.ReasonCode;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for stopping a job for credit: the same cancel flag a user's cancel sets, with the platform's reason. */
public final class CreditStopRepository {
    /** A job's status and whether a cancel was requested, locked for the stop. */
    public record JobState(JobStatus status, boolean cancelRequested) {}

    public Optional<JobState> lock(Handle h, UUID job) {
        return h.createQuery("SELECT status, cancel_requested FROM jobs WHERE uuid = :uuid FOR UPDATE").bind("uuid", job)
                .map((rs, ctx) -> new JobState(JobStatus.valueOf(rs.getString(1)), rs.getBoolean(2))).findOne();
    }

    /** Requests the cancel; {@code JobReconciler} then keeps {@code code} and {@code reason} on the job. */
    public void requestCancel(Handle h, UUID job, ReasonCode code, String reason) {
        h.createUpdate("""
                UPDATE jobs SET cancel_requested = true, cancel_reason = :reason, cancel_reason_code = :code
                WHERE uuid = :uuid AND NOT cancel_requested""")
                .bind("uuid", job).bind("reason", reason).bind("code", code.name()).execute();
    }
}
