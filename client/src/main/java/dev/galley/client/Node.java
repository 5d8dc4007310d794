package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A node (a machine running the Galley agent); {@link #json()} is the whole object. */
public record Node(JsonNode json) {
    public Node {
        Objects.requireNonNull(json, "json");
    }

    public String uuid() {
        return JsonText.text(json, "uuid");
    }

    public String name() {
        return JsonText.text(json, "name");
    }

    /** ONLINE, OFFLINE or DRAINING. */
    public String status() {
        return JsonText.text(json, "status");
    }

    public String regionCode() {
        return JsonText.text(json, "region_code");
    }
}
