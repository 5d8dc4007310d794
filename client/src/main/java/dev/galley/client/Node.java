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
}
