package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One version of one price on the rate card, per hour; {@link #json()} is the whole object. */
public record Price(JsonNode json) implements ApiObject {
    public Price {
        Objects.requireNonNull(json, "json");
    }

    /** {@code gpu}, {@code cpu_core}, {@code ram_gb} or {@code storage_gb}. */
    public String resource() {
        return JsonText.text(json, "resource");
    }

    /** The GPU model's name for a gpu price; null for the default GPU price and the other resources. */
    public String gpuName() {
        return JsonText.text(json, "gpu_name");
    }

    public String gpuRegistryUuid() {
        return JsonText.text(json, "gpu_registry_uuid");
    }

    public BigDecimal amountPerHour() {
        return Money.read(json, "amount_per_hour");
    }

    public String currency() {
        return JsonText.text(json, "currency");
    }

    public Instant effectiveFrom() {
        return JsonText.instant(json, "effective_from");
    }
}
