package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.error.ValidationException;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.spec.JobSpecValidator;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.JsonChecks;
import dev.galley.core.spec.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cooks a job spec from a recipe (spec §4.1, {@code POST /v1/job-recipes/{uuid}/cook}):
 * <ol>
 *   <li>check the body as sent: only job-spec fields and {@code inputs}; each override against its own range
 *       (paths as sent); {@code gpu_name} and {@code gpu_registry_uuid} not both non-null; the {@code inputs}
 *       against the recipe's {@code input_schema}. All these errors are thrown together, before any merging, so a
 *       client never sees the same mistake twice;</li>
 *   <li>fill the recipe payload's {@code {{key}}} placeholders with the inputs (overrides are literal: they are
 *       applied after, and never templated);</li>
 *   <li>apply the overrides: top-level fields replace, {@code null} clears a nullable field, a non-null
 *       {@code gpu_name} clears the recipe's {@code gpu_registry_uuid} and vice versa, {@code parameters} is a JSON
 *       Merge Patch onto the recipe's {@code parameters};</li>
 *   <li>validate the merged spec as a whole (e.g. PERSISTENT needs a null run timeout).</li>
 * </ol>
 */
public final class Cook {
    private static final String INPUTS = "inputs";

    private final JobSpecValidator validator;

    public Cook(GpuCatalog catalog) {
        this.validator = new JobSpecValidator(catalog);
    }

    /**
     * @param storedCredentialsMayTravel true when the job belongs to the recipe's own account, or the recipe's owner
     *                                   shares its credentials ({@code share_credentials}); see {@link RegistryCredentials}
     */
    public CookResult cook(ObjectNode recipePayload, JsonNode recipeInputSchema, JsonNode bodyOrNull,
                           boolean storedCredentialsMayTravel) {
        InputSchema schema = InputSchema.parse(recipeInputSchema, "input_schema");
        JsonNode body = Json.isAbsent(bodyOrNull) ? Json.object() : bodyOrNull;
        if (!body.isObject()) throw ValidationException.of("", "request body must be a JSON object");

        var errors = new FieldErrors();
        Map<String, JsonNode> overrides = checkOverrides((ObjectNode) body, errors);
        Map<String, String> inputValues = Map.of();
        try {
            inputValues = schema.resolve(body.get(INPUTS));
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        errors.throwIfAny();

        var filled = Templates.substitute(recipePayload, inputValues, schema.secretKeys());
        JsonNode templated = NumericPlaceholders.coerce(filled.tree(), filled.substitutedPointers());
        ObjectNode merged = applyOverrides(templated, overrides);
        ObjectNode validated = validator.validate(merged);
        Set<String> inherited = inheritedCredentials(recipePayload, schema, overrides.get("parameters"), validated);
        var bound = RegistryCredentials.forCook(recipePayload, validated, inherited, filled.substitutedPointers(),
                storedCredentialsMayTravel);
        ObjectNode spec = bound.spec();

        Set<String> secretPointers = new LinkedHashSet<>(Secrets.standardSecretPointers(spec));
        for (String pointer : filled.secretPointers()) {
            // An override may have replaced the templated string; then it no longer holds the secret input.
            if (merged.at(pointer).equals(templated.at(pointer)) && spec.at(pointer).isTextual()) secretPointers.add(pointer);
        }
        return new CookResult(spec, secretPointers, bound.dropped());
    }

    /**
     * The credentials of the cooked spec that came from the recipe as its owner wrote them: not set by the
     * {@code parameters} override (a {@code volumes} override replaces every volume) and not filled entirely from an
     * input. Only these are bound by {@link RegistryCredentials}; the others are the cook's own.
     */
    private static Set<String> inheritedCredentials(ObjectNode recipePayload, InputSchema schema, JsonNode parametersPatch,
                                                    ObjectNode spec) {
        JsonNode patch = parametersPatch == null ? Json.object() : parametersPatch.path("parameters");
        boolean volumesOverridden = !Json.isAbsent(patch.get("volumes"));
        Set<String> inherited = new LinkedHashSet<>();
        for (String pointer : RegistryCredentials.credentialPointers(spec)) {
            boolean inVolume = pointer.startsWith(RegistryCredentials.CONTAINER + "/volumes/");
            String field = pointer.substring(pointer.lastIndexOf('/') + 1);
            boolean overridden = inVolume ? volumesOverridden : !Json.isAbsent(patch.get(field));
            if (!overridden && !RegistryCredentials.isWholePlaceholder(recipePayload.at(pointer), schema)) inherited.add(pointer);
        }
        return inherited;
    }

    private Map<String, JsonNode> checkOverrides(ObjectNode body, FieldErrors errors) {
        Map<String, JsonNode> overrides = new LinkedHashMap<>();
        List<String> allowed = new ArrayList<>(JobSpecValidator.FIELDS);
        allowed.add(INPUTS);
        JsonChecks.rejectUnknownFields(body, allowed, "", errors);
        for (var it = body.fields(); it.hasNext(); ) {
            var entry = it.next();
            String field = entry.getKey();
            if (field.equals(INPUTS) || !JobSpecValidator.FIELDS.contains(field)) continue;
            JsonNode checked = field.equals("parameters")
                    ? checkParametersPatch(entry.getValue(), errors)
                    : validator.checkField(field, entry.getValue(), field, errors);
            if (checked != null) overrides.put(field, field.equals("parameters") ? entry.getValue() : checked);
        }
        if (isSet(body.get("gpu_name")) && isSet(body.get("gpu_registry_uuid")))
            errors.add("gpu_name", "cannot be combined with gpu_registry_uuid; set only one of them");
        return overrides;
    }

    /**
     * A {@code parameters} override is a merge patch, so it may be partial; only its shape is checked here. Its
     * contents are checked once merged, with the same paths the client sent.
     */
    private static JsonNode checkParametersPatch(JsonNode patch, FieldErrors errors) {
        if (patch.isNull()) {
            errors.add("parameters", "must not be null (send a partial object to change some parameters)");
            return null;
        }
        if (!patch.isObject()) {
            errors.add("parameters", "must be an object (applied to the recipe's parameters as a JSON Merge Patch)");
            return null;
        }
        boolean ok = JsonChecks.rejectUnknownFields((ObjectNode) patch, JobSpecValidator.PARAMETERS_FIELDS, "parameters", errors);
        JsonNode type = patch.get("type");
        if (type != null && !type.isNull() && !(type.isTextual() && type.textValue().equals("docker"))) {
            errors.add("parameters.type", "must be \"docker\"");
            ok = false;
        }
        JsonNode container = patch.get("parameters");
        if (container != null && !container.isObject()) {
            errors.add("parameters.parameters", container.isNull()
                    ? "must not be null (the container parameters are required)" : "must be an object");
            ok = false;
        }
        return ok ? patch : null;
    }

    private static ObjectNode applyOverrides(JsonNode templated, Map<String, JsonNode> overrides) {
        ObjectNode merged = templated.isObject() ? ((ObjectNode) templated).deepCopy() : Json.object();
        overrides.forEach((field, value) -> {
            if (field.equals("parameters")) merged.set(field, JsonMergePatch.apply(merged.get(field), value));
            else merged.set(field, value.deepCopy());
        });
        // Setting one GPU selector replaces the recipe's choice of GPU, whichever way the recipe expressed it.
        if (isSet(overrides.get("gpu_name")) && !overrides.containsKey("gpu_registry_uuid"))
            merged.set("gpu_registry_uuid", NullNode.getInstance());
        if (isSet(overrides.get("gpu_registry_uuid")) && !overrides.containsKey("gpu_name"))
            merged.set("gpu_name", NullNode.getInstance());
        return merged;
    }

    private static boolean isSet(JsonNode value) {
        return !Json.isAbsent(value);
    }
}
