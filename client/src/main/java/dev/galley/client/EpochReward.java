package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Objects;

/** One node's rewards for one epoch ({@code node_epoch_reward}); amounts are exact decimals. */
public record EpochReward(JsonNode json) implements ApiObject {
    public EpochReward {
        Objects.requireNonNull(json, "json");
    }

    public String nodeUuid() {
        return JsonText.text(json, "node_uuid");
    }

    /** A decimal field ({@code total}, {@code availability_reward}, {@code worked_hours}, …); null when absent. */
    public BigDecimal decimal(String field) {
        String text = JsonText.text(json, field);
        return text == null ? null : new BigDecimal(text);
    }

    public BigDecimal total() {
        return decimal("total");
    }
}
