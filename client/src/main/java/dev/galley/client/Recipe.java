package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** A job recipe as the API returned it; {@link #json()} is the whole object. */
public record Recipe(JsonNode json) implements ApiObject {
    public Recipe {
        Objects.requireNonNull(json, "json");
    }

    public String name() {
        return JsonText.text(json, "name");
    }

    /** PRIVATE, PUBLIC or ARCHIVED. */
    public String visibility() {
        return JsonText.text(json, "visibility");
    }

    public boolean isOwner() {
        return json.path("is_owner").asBoolean(false);
    }

    /** The job spec a cook starts from. */
    public JsonNode payload() {
        return json.path("payload");
    }

    /** The inputs a cook fills in: {@code [{key, type, required, default_value, options…}]}. */
    public JsonNode inputSchema() {
        return json.path("input_schema");
    }
}
