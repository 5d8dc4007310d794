package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.billing.LedgerType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One movement of money on an account's ledger; {@link #json()} is the whole object. */
public record LedgerTransaction(JsonNode json) implements ApiObject {
    public LedgerTransaction {
        Objects.requireNonNull(json, "json");
    }

    /** Null when absent or a type this SDK does not know. */
    public LedgerType type() {
        return JsonText.enumValue(json, "type", LedgerType.class);
    }

    public String accountUuid() {
        return JsonText.text(json, "account_uuid");
    }

    /** Signed: charges are negative. */
    public BigDecimal amount() {
        return Money.read(json, "amount");
    }

    public BigDecimal balanceAfter() {
        return Money.read(json, "balance_after");
    }

    public String currency() {
        return JsonText.text(json, "currency");
    }

    public String usageRecordUuid() {
        return JsonText.text(json, "usage_record_uuid");
    }

    public String description() {
        return JsonText.text(json, "description");
    }

    public Instant createdAt() {
        return JsonText.instant(json, "created_at");
    }
}
