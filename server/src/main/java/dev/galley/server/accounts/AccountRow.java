package dev.galley.server.accounts;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** An account; {@code balance} is the sum of its ledger (spec §9), kept on the row by the ledger's writer. */
public record AccountRow(UUID uuid, String name, Instant createdAt, Instant updatedAt, BigDecimal balance) {
    /** A new account: nothing on its ledger yet. */
    public static AccountRow created(UUID uuid, String name, Instant now) {
        return new AccountRow(uuid, name, now, now, BigDecimal.ZERO);
    }
}
