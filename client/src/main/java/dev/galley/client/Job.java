package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A job as the API returned it. The accessors cover what callers usually branch on; {@link #json()} is the whole
 * object, unchanged, for everything else.
 */
public record Job(JsonNode json) {
    /** Statuses a job never leaves. */
    public static final Set<String> FINAL_STATUSES = Set.of("COMPLETED", "FAILED", "CANCELLED");

    public Job {
        Objects.requireNonNull(json, "json");
    }

    public String uuid() {
        return JsonText.text(json, "uuid");
    }

    public String title() {
        return JsonText.text(json, "title");
    }

    /** PENDING, ASSIGNED, RUNNING, COMPLETED, FAILED, CANCELLING or CANCELLED. */
    public String status() {
        return JsonText.text(json, "status");
    }

    public String statusReason() {
        return JsonText.text(json, "status_reason");
    }

    public String statusReasonCode() {
        return JsonText.text(json, "status_reason_code");
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

    public boolean isFinal() {
        return FINAL_STATUSES.contains(status());
    }
}
