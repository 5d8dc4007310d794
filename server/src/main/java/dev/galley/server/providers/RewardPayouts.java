package dev.galley.server.providers;

import dev.galley.core.billing.LedgerType;
import dev.galley.server.ledger.Ledger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays a provider account its rewards for one epoch, exactly once, in the finalizing transaction: a payout row
 * (unique per epoch and account) and, for a positive amount, one REWARD ledger transaction through the ledger (which
 * moves the account's balance; the ledger's own unique index on (epoch, account) for REWARD is the last guard).
 */
public final class RewardPayouts {
    private static final Logger log = LoggerFactory.getLogger(RewardPayouts.class);
    private final EpochRepository epochs;
    private final Ledger ledger;

    public RewardPayouts(EpochRepository epochs, Ledger ledger) {
        this.epochs = epochs;
        this.ledger = ledger;
    }

    public void pay(Handle h, EpochRepository.EpochRow epoch, UUID account, BigDecimal amount, Instant now) {
        if (!epochs.insertPayout(h, epoch.uuid(), account, amount, null, now)) {
            log.warn("epoch {} already paid account {}; not paid again", epoch.uuid(), account);
            return;
        }
        if (amount.signum() <= 0) return; // a zero reward moves no money: no ledger row
        var rows = ledger.post(h, List.of(new Ledger.Entry(account, LedgerType.REWARD, amount, null,
                "compute epoch " + epoch.startsAt() + " to " + epoch.endsAt() + " rewards", null, epoch.uuid())), now);
        epochs.linkPayout(h, epoch.uuid(), account, rows.getFirst().uuid());
    }
}
