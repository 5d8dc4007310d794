package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A node's stored load sample ({@code node_hardware_event}); {@link #json()} is the whole object. */
public record HardwareEvent(JsonNode json) implements ApiObject {
    public HardwareEvent {
        Objects.requireNonNull(json, "json");
    }

    /** When the sample was taken (never later than when the server received it), epoch milliseconds. */
    public Long timestampMs() {
        return JsonText.longValue(json, "timestamp_ms");
    }
}
