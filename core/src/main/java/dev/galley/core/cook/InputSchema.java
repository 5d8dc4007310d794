package dev.galley.core.cook;

import static dev.galley.core.spec.JsonChecks.index;
import static dev.galley.core.spec.JsonChecks.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.JsonChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A recipe's {@code input_schema} (spec §4.1), validated, and the resolution of a cook's {@code inputs} against it.
 *
 * <p>Decisions where the spec is silent: at most {@value #MAX_FIELDS} inputs and {@value #MAX_OPTIONS} options per
 * select; {@code label} defaults to the key; {@code required} defaults to false; option values are non-empty,
 * unique strings; a {@code secret} input may not have a {@code default_value} (the schema is readable by everyone who
 * can read the recipe, so the "secret" would not be one); {@code options} on a non-select input must be absent,
 * null or empty. In {@code inputs}, an explicit null means "not given" (the default applies) and a required
 * string or secret input may not be the empty string.
 */
public final class InputSchema {
    public static final int MAX_FIELDS = 100;
    public static final int MAX_OPTIONS = 256;
    /** Longest text an input value may have: long enough for a config snippet or a token. */
    public static final int MAX_VALUE_LENGTH = 16_384;
    static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final List<String> ITEM_FIELDS = List.of(
            "key", "type", "label", "required", "description", "placeholder", "default_value", "options");
    private static final List<String> OPTION_FIELDS = List.of("label", "value");

    private final List<InputField> fields;

    private InputSchema(List<InputField> fields) {
        this.fields = List.copyOf(fields);
    }

    public static InputSchema empty() {
        return new InputSchema(List.of());
    }

    /** Parses {@code input_schema} (null, JSON null or missing = no inputs); errors are reported under {@code pathPrefix}. */
    public static InputSchema parse(JsonNode schemaOrNull, String pathPrefix) {
        if (Json.isAbsent(schemaOrNull)) return empty();
        String prefix = pathPrefix == null ? "" : pathPrefix;
        var errors = new FieldErrors();
        if (!schemaOrNull.isArray()) {
            errors.add(prefix, "must be an array of input definitions");
            errors.throwIfAny();
        }
        if (schemaOrNull.size() > MAX_FIELDS) {
            errors.add(prefix, "must have at most " + MAX_FIELDS + " items");
            errors.throwIfAny();
        }
        List<InputField> fields = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < schemaOrNull.size(); i++) {
            InputField field = parseField(schemaOrNull.get(i), index(prefix, i), keys, errors);
            if (field != null) fields.add(field);
        }
        errors.throwIfAny();
        return new InputSchema(fields);
    }

    public List<InputField> fields() {
        return fields;
    }

    /** Keys of the {@code secret} inputs: strings that receive them are masked in the cooked job. */
    public Set<String> secretKeys() {
        return fields.stream().filter(f -> f.type() == InputType.SECRET).map(InputField::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The normalized schema (every item with every field) for storing and returning the recipe. */
    public ArrayNode toJson() {
        ArrayNode out = Json.NODES.arrayNode();
        for (InputField f : fields) out.add(f.toJson());
        return out;
    }

    /**
     * Checks a cook's {@code inputs} and returns the substitution text of every input, in schema order: the given
     * value, else the default, else {@code ""} for an optional input. Errors use the paths {@code inputs.<key>}.
     */
    public Map<String, String> resolve(JsonNode inputsOrNull) {
        var errors = new FieldErrors();
        JsonNode inputs = Json.isAbsent(inputsOrNull) ? Json.object() : inputsOrNull;
        if (!inputs.isObject()) {
            errors.add("inputs", "must be an object of input key → value");
            errors.throwIfAny();
        }
        Map<String, InputField> byKey = new LinkedHashMap<>();
        for (InputField f : fields) byKey.put(f.key(), f);
        inputs.fieldNames().forEachRemaining(name -> {
            if (!byKey.containsKey(name)) {
                errors.add(join("inputs", name), byKey.isEmpty() ? "unknown input; this recipe has no inputs"
                        : "unknown input; this recipe's inputs are: " + String.join(", ", byKey.keySet()));
            }
        });
        Map<String, String> values = new LinkedHashMap<>();
        for (InputField field : fields) {
            JsonNode given = inputs.get(field.key());
            String path = join("inputs", field.key());
            if (Json.isAbsent(given)) {
                if (field.defaultValue() != null) values.put(field.key(), field.defaultText().orElseThrow());
                else if (field.required()) errors.add(path, "is required (this input has no default)");
                else values.put(field.key(), "");
                continue;
            }
            String text = valueText(field, given, path, errors);
            if (text != null) values.put(field.key(), text);
        }
        errors.throwIfAny();
        return values;
    }

    private static String valueText(InputField field, JsonNode value, String path, FieldErrors errors) {
        switch (field.type()) {
            case STRING, SECRET -> {
                String text = JsonChecks.string(value, path, 0, MAX_VALUE_LENGTH, errors);
                if (text != null && text.isEmpty() && field.required()) {
                    errors.add(path, "must not be empty (the input is required)");
                    return null;
                }
                return text;
            }
            case NUMBER -> {
                var d = JsonChecks.number(value, path, java.math.BigDecimal.valueOf(-Double.MAX_VALUE),
                        java.math.BigDecimal.valueOf(Double.MAX_VALUE), errors);
                return d == null ? null : JsonChecks.numberText(d);
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    errors.add(path, "must be a boolean (true or false)");
                    return null;
                }
                return value.booleanValue() ? "true" : "false";
            }
            case SELECT -> {
                if (!value.isTextual() || field.options().stream().noneMatch(o -> o.value().equals(value.textValue()))) {
                    errors.add(path, "must be one of: " + optionList(field.options()));
                    return null;
                }
                return value.textValue();
            }
        }
        throw new IllegalStateException("unhandled input type " + field.type());
    }

    private static InputField parseField(JsonNode item, String path, Set<String> keys, FieldErrors errors) {
        if (!item.isObject()) {
            errors.add(path, "must be an object {key, type, label, required, description, placeholder, default_value, options}");
            return null;
        }
        var in = (ObjectNode) item;
        boolean ok = JsonChecks.rejectUnknownFields(in, ITEM_FIELDS, path, errors);

        String key = null;
        JsonNode keyNode = in.get("key");
        String keyPath = join(path, "key");
        if (Json.isAbsent(keyNode)) errors.add(keyPath, "is required");
        else if (!keyNode.isTextual()) errors.add(keyPath, "must be a string");
        else if (!KEY.matcher(keyNode.textValue()).matches())
            errors.add(keyPath, "must match [a-z][a-z0-9_]{0,63} (lower case, digits and _)");
        else if (!keys.add(keyNode.textValue())) errors.add(keyPath, "duplicate key \"" + keyNode.textValue() + "\"");
        else key = keyNode.textValue();

        InputType type = null;
        JsonNode typeNode = in.get("type");
        String typePath = join(path, "type");
        if (Json.isAbsent(typeNode)) errors.add(typePath, "is required");
        else if (!typeNode.isTextual() || InputType.fromWireName(typeNode.textValue()).isEmpty())
            errors.add(typePath, "must be one of: string, number, boolean, select, secret");
        else type = InputType.fromWireName(typeNode.textValue()).orElseThrow();

        int before = errors.list().size();
        String label = optionalText(in.get("label"), join(path, "label"), 200, errors);
        String description = optionalText(in.get("description"), join(path, "description"), 2000, errors);
        String placeholder = optionalText(in.get("placeholder"), join(path, "placeholder"), 200, errors);
        boolean required = false;
        JsonNode requiredNode = in.get("required");
        if (!Json.isAbsent(requiredNode)) {
            if (requiredNode.isBoolean()) required = requiredNode.booleanValue();
            else errors.add(join(path, "required"), "must be a boolean");
        }
        List<InputOption> options = type == null ? List.of() : parseOptions(in.get("options"), type, join(path, "options"), errors);
        JsonNode defaultValue = type == null ? null : parseDefault(in.get("default_value"), type, options, join(path, "default_value"), errors);
        if (!ok || key == null || type == null || errors.list().size() > before) return null;
        return new InputField(key, type, label == null ? key : label, required, description, placeholder, defaultValue, options);
    }

    private static List<InputOption> parseOptions(JsonNode value, InputType type, String path, FieldErrors errors) {
        if (type != InputType.SELECT) {
            if (!Json.isAbsent(value) && !(value.isArray() && value.isEmpty())) errors.add(path, "is only allowed for type select");
            return List.of();
        }
        if (Json.isAbsent(value) || !value.isArray() || value.isEmpty()) {
            errors.add(path, "must be a non-empty array of {label, value} for type select");
            return List.of();
        }
        if (value.size() > MAX_OPTIONS) {
            errors.add(path, "must have at most " + MAX_OPTIONS + " items");
            return List.of();
        }
        List<InputOption> options = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = index(path, i);
            if (!item.isObject()) {
                errors.add(itemPath, "must be an object {label, value}");
                continue;
            }
            JsonChecks.rejectUnknownFields((ObjectNode) item, OPTION_FIELDS, itemPath, errors);
            String optionValue = JsonChecks.string(item.get("value"), join(itemPath, "value"), 1, MAX_VALUE_LENGTH, errors);
            String optionLabel = optionalText(item.get("label"), join(itemPath, "label"), 200, errors);
            if (optionValue == null) continue;
            if (!seen.add(optionValue)) {
                errors.add(join(itemPath, "value"), "duplicate option value \"" + optionValue + "\"");
                continue;
            }
            options.add(new InputOption(optionLabel == null ? optionValue : optionLabel, optionValue));
        }
        return options;
    }

    /**
     * Dispersed's schema types {@code default_value} as a string, so its clients send {@code "4"} for a number and
     * {@code "true"} for a boolean: those string forms are accepted when they parse (a JSON number; {@code true} or
     * {@code false} in any case), as are the JSON values themselves. An empty string is "no default" for every type
     * but string, because such clients send {@code ""} for an input without one.
     */
    private static JsonNode parseDefault(JsonNode value, InputType type, List<InputOption> options, String path, FieldErrors errors) {
        if (Json.isAbsent(value)) return null;
        if (type != InputType.STRING && value.isTextual() && value.textValue().isEmpty()) return null;
        switch (type) {
            case SECRET -> errors.add(path, "is not allowed for secret inputs (input_schema is visible to everyone who can read the recipe)");
            case STRING -> {
                if (JsonChecks.string(value, path, 0, MAX_VALUE_LENGTH, errors) != null) return value.deepCopy();
            }
            case NUMBER -> {
                JsonNode number = value;
                if (value.isTextual()) {
                    String text = value.textValue();
                    if (text.length() > 100 || !NumericPlaceholders.JSON_NUMBER.matcher(text).matches()) {
                        errors.add(path, "must be a number, or a string holding one such as \"4\" or \"0.25\"");
                        return null;
                    }
                    number = Json.NODES.numberNode(new java.math.BigDecimal(text));
                }
                if (JsonChecks.number(number, path, java.math.BigDecimal.valueOf(-Double.MAX_VALUE),
                        java.math.BigDecimal.valueOf(Double.MAX_VALUE), errors) != null) return value.deepCopy();
            }
            case BOOLEAN -> {
                if (value.isBoolean()) return value.deepCopy();
                if (value.isTextual() && (value.textValue().equalsIgnoreCase("true") || value.textValue().equalsIgnoreCase("false"))) {
                    return value.deepCopy();
                }
                errors.add(path, "must be a boolean (true or false), or the string \"true\" or \"false\"");
            }
            case SELECT -> {
                if (value.isTextual() && options.stream().anyMatch(o -> o.value().equals(value.textValue()))) return value.deepCopy();
                if (!options.isEmpty()) errors.add(path, "must be one of the option values: " + optionList(options));
            }
        }
        return null;
    }

    private static String optionalText(JsonNode value, String path, int maxLength, FieldErrors errors) {
        if (Json.isAbsent(value)) return null;
        return JsonChecks.string(value, path, 0, maxLength, errors);
    }

    private static String optionList(List<InputOption> options) {
        return options.stream().map(o -> "\"" + o.value() + "\"").collect(Collectors.joining(", "));
    }
}
