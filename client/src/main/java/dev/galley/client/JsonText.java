package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Null-tolerant reads of API fields for the typed wrappers: an absent or null field reads as Java null. */
final class JsonText {
    private JsonText() {}

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A status or code as one of core's types; null when absent or a value this SDK does not know (a newer
     * server), in which case {@code json()} still has the text.
     */
    static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type) {
        String text = text(node, field);
        if (text == null) return null;
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Long longValue(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asLong() : null;
    }

    static Integer intValue(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? value.asInt() : null;
    }
}
