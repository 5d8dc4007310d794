package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Turns {@code --input key=value} arguments into a cook's {@code inputs} object, typed by the recipe's
 * {@code input_schema}: a {@code number} input gets a JSON number, a {@code boolean} input {@code true} or
 * {@code false}, everything else the text as typed. The server still validates; this only saves users from
 * quoting rules.
 */
final class InputValues {
    private InputValues() {}

    static ObjectNode toObject(List<String> assignments, JsonNode inputSchema) {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) throw new UsageException("--input '" + assignment + "': expected key=value");
            String key = assignment.substring(0, eq).strip();
            String value = assignment.substring(eq + 1);
            String type = typeOf(inputSchema, key);
            switch (type == null ? "string" : type) {
                case "number" -> {
                    try {
                        inputs.put(key, new BigDecimal(value.strip()));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--input " + key + ": '" + value + "' is not a number");
                    }
                }
                case "boolean" -> {
                    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new UsageException("--input " + key + ": expected true or false, got '" + value + "'");
                    }
                    inputs.put(key, Boolean.parseBoolean(v));
                }
                default -> inputs.put(key, value);
            }
        }
        return inputs;
    }

    private static String typeOf(JsonNode inputSchema, String key) {
        for (JsonNode item : inputSchema) {
            if (key.equals(item.path("key").asText(null))) return item.path("type").asText(null);
        }
        return null; // unknown key: sent as text, and the server names it in its 400
    }
}
