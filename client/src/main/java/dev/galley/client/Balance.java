package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;

/** An account's balance: the sum of its ledger. */
public record Balance(JsonNode json) {
    public Balance {
        Objects.requireNonNull(json, "json");
    }

    public String accountUuid() {
        return JsonText.text(json, "account_uuid");
    }

    public BigDecimal balance() {
        return Money.read(json, "balance");
    }

    public String currency() {
        return JsonText.text(json, "currency");
    }

    /** Never refused or stopped for credit (the operator account). */
    public boolean billingExempt() {
        return json.path("billing_exempt").asBoolean();
    }
}
