package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.spec.Json;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns templated text back into a number where the job spec wants a number. Substitution always produces text
 * (spec §4.1), so {@code "cpu_count": "{{cpus}}"} would become {@code "4"} and fail "must be an integer"; here a
 * substituted string in a numeric field ({@code cpu_count}, {@code min_ram_gb}, the {@code *_ms} fields,
 * {@code parameters.parameters.ports[i]}, ...) whose text is a JSON number becomes that number. Text that is not
 * a number is left alone, so the validator still reports it. Strings nobody templated are never touched: a recipe
 * that literally says {@code "cpu_count": "4"} stays wrong.
 */
final class NumericPlaceholders {
    private static final Set<String> NUMERIC_TOP_LEVEL = Set.of(
            "cpu_count", "gpu_count", "min_vram_gb", "min_ram_gb", "min_storage_gb", "max_node_count",
            "max_retry_count", "max_timeout_assign_ms", "max_timeout_start_ms", "max_timeout_run_ms");
    private static final Pattern PORT_POINTER = Pattern.compile("/parameters/parameters/ports/\\d+");
    /** A JSON number as text (RFC 8259 grammar): what a templated numeric field or a number default may hold. */
    static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    private NumericPlaceholders() {}

    /** Returns a copy of {@code spec} with the numeric substituted strings converted; the input is not modified. */
    static JsonNode coerce(JsonNode spec, Set<String> substitutedPointers) {
        JsonNode out = spec.deepCopy();
        for (String pointer : substitutedPointers) {
            if (!isNumericField(pointer)) continue;
            JsonNode value = out.at(pointer);
            if (!value.isTextual()) continue;
            String text = value.textValue().strip();
            if (text.length() > 100 || !JSON_NUMBER.matcher(text).matches()) continue;
            JsonNode number = Json.NODES.numberNode(new BigDecimal(text));
            int slash = pointer.lastIndexOf('/');
            JsonNode parent = out.at(pointer.substring(0, slash));
            String last = pointer.substring(slash + 1);
            if (parent instanceof ObjectNode object) object.set(last, number);
            else if (parent instanceof ArrayNode array) array.set(Integer.parseInt(last), number);
        }
        return out;
    }

    private static boolean isNumericField(String pointer) {
        return (pointer.lastIndexOf('/') == 0 && NUMERIC_TOP_LEVEL.contains(pointer.substring(1)))
                || PORT_POINTER.matcher(pointer).matches();
    }
}
