package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One metered period of one run; {@link #json()} is the whole object. */
public record UsageRecord(JsonNode json) implements ApiObject {
    public UsageRecord {
        Objects.requireNonNull(json, "json");
    }

    public String jobUuid() {
        return JsonText.text(json, "job_uuid");
    }

    public String jobRunUuid() {
        return JsonText.text(json, "job_run_uuid");
    }

    public Instant periodStart() {
        return JsonText.instant(json, "period_start");
    }

    public Instant periodEnd() {
        return JsonText.instant(json, "period_end");
    }

    public long seconds() {
        return json.path("seconds").asLong();
    }

    public String gpuName() {
        return JsonText.text(json, "gpu_name");
    }

    public BigDecimal pricePerHour() {
        return Money.read(json, "price_per_hour");
    }

    public BigDecimal amount() {
        return Money.read(json, "amount");
    }

    public String currency() {
        return JsonText.text(json, "currency");
    }
}
