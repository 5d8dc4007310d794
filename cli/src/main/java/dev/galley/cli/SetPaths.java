package dev.galley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;

/**
 * Turns {@code --set dotted.path=value} arguments into a JSON object: {@code parameters.parameters.env.MODE=fast}
 * becomes {@code {"parameters": {"parameters": {"env": {"MODE": "fast"}}}}}.
 *
 * <p>Values: JSON literals ({@code 2}, {@code 1.5}, {@code true}, {@code null}) and text starting with
 * {@code {}, {@code [} or {@code "} are parsed as JSON; anything else is a string. Under an {@code env} object
 * values always stay strings, because environment variables are strings ({@code env.EPOCHS=10} means "10").
 */
final class SetPaths {
    private SetPaths() {}

    static ObjectNode toObject(List<String> assignments) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (String assignment : assignments) apply(root, assignment);
        return root;
    }

    /** Applies one {@code path=value} to {@code root} in place, creating objects along the path. */
    static void apply(ObjectNode root, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new UsageException("--set '" + assignment + "': expected path=value, e.g. gpu_count=2");
        String path = assignment.substring(0, eq).strip();
        String raw = assignment.substring(eq + 1);
        String[] keys = path.split("\\.", -1);
        for (String key : keys) {
            if (key.isEmpty()) throw new UsageException("--set '" + assignment + "': the path has an empty part");
        }
        ObjectNode parent = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            if (child == null || child.isNull()) {
                parent = parent.putObject(keys[i]);
            } else if (child instanceof ObjectNode object) {
                parent = object;
            } else {
                throw new UsageException("--set '" + assignment + "': " + String.join(".", List.of(keys).subList(0, i + 1))
                        + " is already set to a value, not an object");
            }
        }
        boolean stringOnly = keys.length >= 2 && keys[keys.length - 2].equals("env");
        parent.set(keys[keys.length - 1], stringOnly ? TextNode.valueOf(unquote(raw)) : value(raw));
    }

    static JsonNode value(String raw) {
        String text = raw.strip();
        boolean looksJson = text.equals("true") || text.equals("false") || text.equals("null")
                || text.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")
                || text.startsWith("{") || text.startsWith("[") || text.startsWith("\"");
        if (!looksJson) return TextNode.valueOf(raw);
        try {
            return JsonPrinter.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UsageException("the value '" + raw + "' looks like JSON but is not: " + e.getOriginalMessage());
        }
    }

    /** {@code "5"} → {@code 5} for env values written with quotes out of habit. */
    private static String unquote(String raw) {
        String text = raw.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            try {
                return JsonPrinter.MAPPER.readTree(text).asText();
            } catch (JsonProcessingException e) {
                return raw;
            }
        }
        return raw;
    }
}
