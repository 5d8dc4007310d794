package dev.galley.server.metering;

import dev.galley.core.billing.CreditPolicy;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.server.db.Transactions;
import dev.galley.server.lifecycle.JobReconciler;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Stops a running job whose account fell below zero at a metering cut (GALLEY_BILLING=enforce): through the cancel
 * machinery (the job's cancel flag and {@link JobReconciler}), so its runs get {@code stop_run} at their nodes' next
 * heartbeat, exactly as for a user's cancel, and the job ends CANCELLED with reason code INSUFFICIENT_CREDIT.
 */
public final class CreditStops {
    private final Transactions tx;
    private final CreditStopRepository repository;
    private final JobReconciler reconciler;
    private final String currency;

    public CreditStops(Transactions tx, CreditStopRepository repository, JobReconciler reconciler, String currency) {
        this.tx = tx;
        this.repository = repository;
        this.reconciler = reconciler;
        this.currency = currency;
    }

    /** @return true when this call stopped the job (false: it had finished or was being cancelled already) */
    public boolean stop(UUID job, BigDecimal balance, Instant now) {
        return tx.inTransaction(h -> {
            var state = repository.lock(h, job).orElse(null);
            if (state == null || state.cancelRequested() || state.status().isFinal()) return false;
            repository.requestCancel(h, job, ReasonCode.INSUFFICIENT_CREDIT, CreditPolicy.stoppedAtCut(balance, currency));
            reconciler.reconcile(h, job, now);
            return true;
        });
    }
}
