package dev.galley.core.cook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.ValidationException;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.spec.JobSpecValidator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a recipe's {@code payload} (spec §4): it must be a valid job spec once every {@code {{key}}} is filled.
 * Inputs with a {@code default_value} are filled with it; the others with a sample: string and secret
 * {@code "x"}, number {@code 1}, boolean {@code true}, select its first option.
 *
 * <p>Decisions: a sample is not a value anyone will cook with, so an error on a field whose text came from a
 * sample (for example {@code "max_timeout_run_ms": "{{timeout}}"} filled with 1, or {@code "sshkey":
 * "{{key}}"} filled with "x") is not reported here; the cook validates the real value. Errors on fields filled
 * from defaults, and every other error, are reported with the prefix {@code payload.}. The payload is returned as
 * sent (a copy, placeholders kept, not normalized): normalizing would bake defaults into a template the author may
 * want to edit later, and cook normalizes anyway.
 */
public final class RecipePayloadValidator {
    private static final String PREFIX = "payload";

    private RecipePayloadValidator() {}

    public static ObjectNode validate(JsonNode payload, InputSchema schema, GpuCatalog catalog) {
        if (payload == null || !payload.isObject()) throw ValidationException.of(PREFIX, "must be a JSON object (a job spec)");
        InputSchema inputs = schema == null ? InputSchema.empty() : schema;
        Map<String, String> fills = new LinkedHashMap<>();
        Map<String, String> samplesOnly = new LinkedHashMap<>();
        for (InputField field : inputs.fields()) {
            var defaultText = field.defaultText();
            if (defaultText.isPresent()) {
                fills.put(field.key(), defaultText.get());
            } else {
                String sample = sampleFor(field);
                fills.put(field.key(), sample);
                samplesOnly.put(field.key(), sample);
            }
        }
        var filled = Templates.substitute(payload, fills, inputs.secretKeys());
        JsonNode candidate = NumericPlaceholders.coerce(filled.tree(), filled.substitutedPointers());
        Set<String> samplePaths = new HashSet<>();
        for (String pointer : Templates.substitute(payload, samplesOnly, Set.of()).substitutedPointers())
            samplePaths.add(pathOf(pointer, payload));
        try {
            new JobSpecValidator(catalog).validate(candidate, PREFIX);
        } catch (ValidationException e) {
            List<FieldError> kept = e.errors().stream().filter(err -> !samplePaths.contains(err.field())).toList();
            if (!kept.isEmpty()) throw new ValidationException(kept);
        }
        return ((ObjectNode) payload).deepCopy();
    }

    private static String sampleFor(InputField field) {
        return switch (field.type()) {
            case STRING, SECRET -> "x";
            case NUMBER -> "1";
            case BOOLEAN -> "true";
            case SELECT -> field.options().get(0).value();
        };
    }

    /** The error path ({@code payload.parameters.parameters.ports[2]}) of a JSON Pointer into {@code tree}. */
    private static String pathOf(String pointer, JsonNode tree) {
        var sb = new StringBuilder(PREFIX);
        JsonNode node = tree;
        for (JsonPointer p = JsonPointer.compile(pointer); !p.matches(); p = p.tail()) {
            if (node.isArray()) {
                sb.append('[').append(p.getMatchingIndex()).append(']');
                node = node.path(p.getMatchingIndex());
            } else {
                sb.append('.').append(p.getMatchingProperty());
                node = node.path(p.getMatchingProperty());
            }
        }
        return sb.toString();
    }
}
