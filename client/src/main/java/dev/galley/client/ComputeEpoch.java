package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.providers.EpochStatus;
import java.time.Instant;
import java.util.Objects;

/** A compute epoch ({@code compute_epoch}); {@link #json()} is the whole object. */
public record ComputeEpoch(JsonNode json) implements ApiObject {
    public ComputeEpoch {
        Objects.requireNonNull(json, "json");
    }

    public Instant startsAt() {
        return JsonText.instant(json, "starts_at");
    }

    public Instant endsAt() {
        return JsonText.instant(json, "ends_at");
    }

    /** Null when absent or not a status this SDK knows; {@link #json()} has the text. */
    public EpochStatus status() {
        return JsonText.enumValue(json, "status", EpochStatus.class);
    }
}
