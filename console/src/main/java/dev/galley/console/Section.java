package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;

/** One titled part of a page: what an API call returned, or the sentence that stands in for it (missing). */
public record Section(JsonNode data, String missing) {}
