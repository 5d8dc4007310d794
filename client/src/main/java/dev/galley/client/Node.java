package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.NodeStatus;
import java.util.Objects;

/** A node (a machine running the Galley agent); {@link #json()} is the whole object. */
public record Node(JsonNode json) implements ApiObject {
    public Node {
        Objects.requireNonNull(json, "json");
    }

    public String name() {
        return JsonText.text(json, "name");
    }

    /** Null when absent or not a status this SDK knows; {@link #json()} has the text. */
    public NodeStatus status() {
        return JsonText.enumValue(json, "status", NodeStatus.class);
    }

    public String regionCode() {
        return JsonText.text(json, "region_code");
    }

    /** 0–100 (a new node has 50); null when absent. */
    public Double reputation() {
        JsonNode r = json.get("reputation");
        return r == null || !r.isNumber() ? null : r.asDouble();
    }

    /** The newest stored load sample, or null. */
    public HardwareEvent latestHardwareEvent() {
        JsonNode e = json.get("latest_hardware_event");
        return e == null || !e.isObject() ? null : new HardwareEvent(e);
    }
}
