package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.JsonChecks;
import java.util.List;
import java.util.Optional;

/**
 * One validated item of a recipe's {@code input_schema}. {@code defaultValue} is the JSON value as given (a string,
 * number or boolean matching {@code type}) or Java null when there is none; {@code options} is empty unless
 * {@code type} is {@link InputType#SELECT}.
 */
public record InputField(String key, InputType type, String label, boolean required, String description,
                         String placeholder, JsonNode defaultValue, List<InputOption> options) {
    public InputField {
        options = List.copyOf(options);
    }

    /** The default as substitution text (number as a person writes it, boolean {@code true}/{@code false}). */
    public Optional<String> defaultText() {
        if (defaultValue == null) return Optional.empty();
        if (defaultValue.isTextual() && type == InputType.NUMBER) {
            return Optional.of(JsonChecks.numberText(new java.math.BigDecimal(defaultValue.textValue()))); // "4.50" → 4.5
        }
        if (defaultValue.isTextual() && type == InputType.BOOLEAN) {
            return Optional.of(defaultValue.textValue().toLowerCase(java.util.Locale.ROOT)); // "True" → true
        }
        return Optional.of(textOf(defaultValue));
    }

    /** The normalized JSON form of this item, every field present, for storing and returning the recipe. */
    public ObjectNode toJson() {
        ObjectNode out = Json.object();
        out.put("key", key);
        out.put("type", type.wireName());
        out.put("label", label);
        out.put("required", required);
        out.put("description", description);
        out.put("placeholder", placeholder);
        out.set("default_value", defaultValue == null ? Json.NODES.nullNode() : defaultValue.deepCopy());
        ArrayNode opts = out.putArray("options");
        for (InputOption o : options) opts.addObject().put("label", o.label()).put("value", o.value());
        return out;
    }

    static String textOf(JsonNode value) {
        if (value.isNumber()) {
            return JsonChecks.numberText(value.isDouble() || value.isFloat()
                    ? java.math.BigDecimal.valueOf(value.doubleValue()) : value.decimalValue());
        }
        if (value.isBoolean()) return value.booleanValue() ? "true" : "false";
        return value.textValue();
    }
}
