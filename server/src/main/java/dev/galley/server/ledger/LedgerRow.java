package dev.galley.server.ledger;

import dev.galley.core.billing.LedgerType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code ledger_transactions} (append-only: the database refuses edits). */
public record LedgerRow(UUID uuid, UUID accountUuid, LedgerType type, BigDecimal amount, String currency, BigDecimal balanceAfter,
                        UUID usageRecordUuid, UUID epochUuid, String description, UUID createdByKeyUuid, Instant createdAt) {}
