package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A GPU model of the registry, with how many are online and free; {@link #json()} is the whole object. */
public record Gpu(JsonNode json) implements ApiObject {
    public Gpu {
        Objects.requireNonNull(json, "json");
    }

    public String name() {
        return JsonText.text(json, "name");
    }

    public double vramGb() {
        return json.path("vram_gb").asDouble();
    }

    public long totalCount() {
        return json.path("total_count").asLong();
    }

    public long availableCount() {
        return json.path("available_count").asLong();
    }
}
