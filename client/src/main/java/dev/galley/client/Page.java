package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list answer, {@code {"data": [...], "page": 1, "limit": 20, "total": 137}}; {@link #json()} is
 * the envelope exactly as received.
 */
public record Page<T>(List<T> data, int page, int limit, long total, JsonNode json) {
    public Page {
        data = List.copyOf(data);
    }

    static <T> Page<T> of(JsonNode envelope, Function<JsonNode, T> wrap) {
        List<T> items = new ArrayList<>();
        for (JsonNode item : envelope.path("data")) items.add(wrap.apply(item));
        return new Page<>(items, envelope.path("page").asInt(1), envelope.path("limit").asInt(items.size()),
                envelope.path("total").asLong(items.size()), envelope);
    }

    /** Whether pages after this one hold more items. */
    public boolean hasMore() {
        return (long) page * limit < total;
    }
}
