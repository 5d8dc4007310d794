package dev.galley.server.providers;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays a provider account its rewards for one epoch, exactly once: the payout row's unique key (epoch, account)
 * admits one, in the finalizing transaction.
 *
 * <p>Not yet written: the REWARD ledger transaction. The ledger (branch w3-metering) is not merged into this
 * branch; until it is, {@code ledger_transaction_uuid} stays null and the payout row is the record of the amount.
 */
public final class RewardPayouts {
    private static final Logger log = LoggerFactory.getLogger(RewardPayouts.class);
    private final EpochRepository epochs;

    public RewardPayouts(EpochRepository epochs) {
        this.epochs = epochs;
    }

    public void pay(Handle h, UUID epoch, UUID account, BigDecimal amount, Instant now) {
        if (!epochs.insertPayout(h, epoch, account, amount, null, now)) {
            log.warn("epoch {} already paid account {}; not paid again", epoch, account);
        }
    }
}
