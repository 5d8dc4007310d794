package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One object as aligned {@code field  value} lines, every top-level field in the API's order: scalars as text,
 * objects and arrays as compact JSON. Shows everything the API returned without the noise of pretty JSON.
 */
final class DetailView {
    private DetailView() {}

    static void print(PrintStream out, JsonNode object, Set<String> skip) {
        print(out, object, skip, Map.of());
    }

    /**
     * With a unit after the value of the fields in {@code units} (a currency after an amount: {@code 0.030000 USD}); the
     * value itself is printed exactly as the API sent it, and a null stays {@code -}.
     */
    static void print(PrintStream out, JsonNode object, Set<String> skip, Map<String, String> units) {
        int width = 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!skip.contains(name)) width = Math.max(width, name.length());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (skip.contains(field.getKey())) continue;
            JsonNode value = field.getValue();
            String text = value.isNull() ? "-" : value.isValueNode() ? value.asText() : JsonPrinter.compact(value);
            if (!value.isNull() && units.containsKey(field.getKey())) text += " " + units.get(field.getKey());
            out.println(field.getKey() + " ".repeat(width - field.getKey().length() + 2) + text);
        }
        out.flush();
    }
}
