package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.lifecycle.ReasonCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A job as the API returned it. The accessors cover what callers usually branch on; {@link #json()} is the whole
 * object, unchanged, for everything else.
 */
public record Job(JsonNode json) implements ApiObject {
    public Job {
        Objects.requireNonNull(json, "json");
    }

    public String title() {
        return JsonText.text(json, "title");
    }

    /** Null when absent or not a status this SDK knows; {@link #json()} has the text. */
    public JobStatus status() {
        return JsonText.enumValue(json, "status", JobStatus.class);
    }

    public String statusReason() {
        return JsonText.text(json, "status_reason");
    }

    /** Why the job is PENDING or how it ended (a Galley extension); null when absent or unknown. */
    public ReasonCode statusReasonCode() {
        return JsonText.enumValue(json, "status_reason_code", ReasonCode.class);
    }

    public String task() {
        return JsonText.text(json, "task");
    }

    public String sourceRecipeUuid() {
        return JsonText.text(json, "source_recipe_uuid");
    }

    public Instant createdAt() {
        return JsonText.instant(json, "created_at");
    }

    /**
     * The hourly price of one run of this job: an estimate at the prices in force while PENDING, else the price fixed
     * when its latest run started (spec §9). Null when the server does not send it.
     */
    public BigDecimal pricePerHour() {
        return Money.read(json, "price_per_hour");
    }

    /** What the job's runs have cost so far, open periods included (spec §9). Null when the server does not send it. */
    public BigDecimal costSoFar() {
        return Money.read(json, "cost_so_far");
    }

    /** True once the job is COMPLETED, FAILED or CANCELLED: it never changes again. */
    public boolean isFinal() {
        JobStatus status = status();
        return status != null && status.isFinal();
    }
}
