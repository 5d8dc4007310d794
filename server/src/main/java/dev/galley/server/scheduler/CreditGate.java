package dev.galley.server.scheduler;

import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.server.lifecycle.JobReconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * GALLEY_BILLING=enforce in the scheduler (spec §9): the waiting jobs of an account without credit are not placed;
 * they wait with reason code INSUFFICIENT_CREDIT. One balance query per round, for the accounts of the jobs the round
 * loaded and of the jobs it holds back; none at all under GALLEY_BILLING=record, and none when nothing waits.
 *
 * <p>A held job is not in the round's plan, so the round memory does not count it as known not to fit; but while the
 * cluster is unchanged rounds load only new jobs. So the gate remembers the accounts it holds jobs of, checks them
 * every round in that same query, and says when one regained credit: the loop then loads every waiting job again.
 */
public final class CreditGate {
    /** Of these accounts, those that may not start work, each with the wait reason its jobs show. */
    public interface Balances {
        Map<UUID, String> withoutCredit(Collection<UUID> accounts);
    }

    /**
     * A round's waiting jobs split: {@code placeable} go to placement; {@code held} (job → reason) wait for credit.
     * {@code creditReturned}: an account held before may start work again.
     */
    public record Split(List<SnapshotLoader.Waiting> placeable, List<SnapshotLoader.Waiting> held, Map<UUID, String> reasons,
                        boolean creditReturned) {}

    /** Stores the wait reason of held jobs (job → reason), e.g. through {@link JobReconciler#recordCreditWaits}. */
    public interface Waits {
        void record(Map<UUID, String> reasons);
    }

    private final Balances balances;
    private final Waits waits;
    private Set<UUID> heldAccounts = Set.of();

    public CreditGate(Balances balances, Waits waits) {
        this.balances = balances;
        this.waits = waits;
    }

    /** The gate of a server: balances from billing, waits written by the reconciler. */
    public static CreditGate of(Balances balances, Jdbi jdbi, JobReconciler reconciler) {
        return new CreditGate(balances, reasons -> jdbi.useHandle(h -> reconciler.recordCreditWaits(h, reasons)));
    }

    /**
     * Splits the round's jobs and writes INSUFFICIENT_CREDIT on the held ones whose reason changed. Scheduler thread
     * only. {@code sawAllWaiting}: the round loaded every waiting job (no job window, no cut at the round's limit), so
     * held accounts without a job among them have nothing waiting any more and are no longer watched.
     */
    public Split split(List<SnapshotLoader.Waiting> waiting, boolean sawAllWaiting) {
        Set<UUID> accounts = new HashSet<>(heldAccounts);
        waiting.forEach(w -> accounts.add(w.accountUuid()));
        Map<UUID, String> without = accounts.isEmpty() ? Map.of() : balances.withoutCredit(accounts);
        boolean returned = heldAccounts.stream().anyMatch(a -> !without.containsKey(a));
        if (without.isEmpty()) {
            heldAccounts = Set.of();
            return new Split(waiting, List.of(), Map.of(), returned);
        }
        var placeable = new ArrayList<SnapshotLoader.Waiting>(waiting.size());
        var held = new ArrayList<SnapshotLoader.Waiting>();
        var stillHeld = new HashSet<UUID>();
        if (!sawAllWaiting) for (UUID a : heldAccounts) if (without.containsKey(a)) stillHeld.add(a);
        Map<UUID, String> reasons = new HashMap<>();
        for (SnapshotLoader.Waiting w : waiting) {
            String reason = without.get(w.accountUuid());
            if (reason == null) {
                placeable.add(w);
                continue;
            }
            held.add(w);
            stillHeld.add(w.accountUuid());
            if (w.reasonCode() != ReasonCode.INSUFFICIENT_CREDIT || !reason.equals(w.reason())) reasons.put(w.job().jobUuid(), reason);
        }
        heldAccounts = stillHeld;
        if (!reasons.isEmpty()) waits.record(reasons);
        return new Split(placeable, held, reasons, returned);
    }
}
