package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;

/** An object as the API returned it: {@link #json()} is all of it, unchanged; typed accessors read from it. */
public interface ApiObject {
    JsonNode json();

    default String uuid() {
        return JsonText.text(json(), "uuid");
    }
}
