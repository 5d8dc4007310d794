package dev.galley.node.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/nodes/{uuid}/heartbeat}: {@code metadata} with the latest load sample as
 * {@code hardware_event} ({@link dev.galley.core.providers.HardwareSample}; empty before the first sample), and the
 * runs this agent is supervising right now.
 */
public record Heartbeat(
        @JsonProperty("metadata") Map<String, Object> metadata,
        @JsonProperty("active_run_uuids") List<String> activeRunUuids) {

    public Heartbeat {
        metadata = Map.copyOf(metadata);
        activeRunUuids = List.copyOf(activeRunUuids);
    }
}
