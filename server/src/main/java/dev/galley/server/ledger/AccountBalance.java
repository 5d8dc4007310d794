package dev.galley.server.ledger;

import java.math.BigDecimal;
import java.util.UUID;

/** An account's balance (the sum of its ledger) and whether it is exempt from enforcement. */
public record AccountBalance(UUID accountUuid, BigDecimal balance, boolean billingExempt) {}
