package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.spec.ImageReference;
import dev.galley.core.spec.Json;
import dev.galley.core.spec.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Spec §8, "secrets stay with their owner's intent": which registry credentials a recipe's owner stored
 * ({@code user} and {@code secret} of {@code parameters.parameters} and of each {@code volumes[i]}) may travel into
 * a cooked job, a fork or an updated recipe.
 *
 * <p>A stored credential is bound to its <em>destination</em>, the place the node would present it: for the
 * container, the registry {@code host}, the image's name (registry and path, not its tag or digest) and
 * {@code imagesrc}; for a volume, its {@code registry} and its image's name. It travels only
 * <ul>
 *   <li>to a job or recipe of its owner's account, or to a job cooked by another account from a recipe whose owner
 *       shares credentials ({@code mayTravel});</li>
 *   <li>with an unchanged destination. Host names compare without case, scheme or trailing {@code /}, and Docker
 *       Hub's aliases ({@code docker.io}, {@code index.docker.io}, {@code registry-1.docker.io},
 *       {@code registry.hub.docker.com}) are one host; a missing host and Docker Hub are not the same (the node
 *       only uses credentials when a host is named). {@code ubuntu}, {@code library/ubuntu} and
 *       {@code docker.io/library/ubuntu} are one image. Changing only the tag keeps the credentials;</li>
 *   <li>when no input chose any part of the destination: a {@code {{key}}} placeholder in a host or image would let
 *       whoever cooks pick where the owner's password goes.</li>
 * </ul>
 * A credential the caller supplies itself (a cook override, a value filled entirely from an input, a new value in an
 * update) is the caller's own and is never touched. Everything else that may not travel becomes {@code null}: the job
 * then pulls anonymously. A masked {@code "********"} in an update stands for the stored value of the same slot
 * (volumes are matched by destination, so reordering or removing volumes keeps each volume's own credentials).
 *
 * <p>Pure: the inputs are never modified.
 */
public final class RegistryCredentials {
    static final String CONTAINER = "/parameters/parameters";
    private static final String DOCKER_HUB = "docker.io";
    private static final Set<String> DOCKER_HUB_ALIASES = Set.of(
            "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "index.docker.io/v1");

    private RegistryCredentials() {}

    /** The spec or payload after binding, and the JSON Pointers of the stored credentials that were dropped. */
    public record Bound(ObjectNode spec, Set<String> dropped) {
        public Bound {
            dropped = Set.copyOf(dropped);
        }
    }

    /**
     * A recipe being forked: the fork keeps the stored credentials only when it stays in the owner's account. A fork
     * by another account is that account's own recipe, which the owner can no longer revoke or un-share, so it never
     * carries them, whether the original shares credentials or not. Placeholders for inputs are kept.
     *
     * @param payload the recipe's payload with its real credential values
     */
    public static Bound forFork(ObjectNode payload, InputSchema schema, boolean sameAccount) {
        return bind(payload, payload, storedPointers(payload, schema), Set.of(), sameAccount, null);
    }

    /**
     * Pointers of the credentials the owner wrote into a recipe payload: every non-null {@code user}/{@code secret}
     * except those that are exactly one input placeholder (a template for the cook's own value, not a secret).
     */
    public static Set<String> storedPointers(ObjectNode payload, InputSchema schema) {
        Set<String> out = new LinkedHashSet<>();
        for (String pointer : credentialPointers(payload)) {
            if (!isWholePlaceholder(payload.at(pointer), schema)) out.add(pointer);
        }
        return out;
    }

    /**
     * A recipe payload being written (create: {@code storedOrNull} is null; PATCH: the payload before, real values in
     * place). Every {@code "********"} is replaced by the stored value of its slot when the slot's destination is
     * unchanged, and dropped when it changed. A mask with nothing stored behind it is an error at
     * {@code payload.<path>}, recorded in {@code errors}.
     */
    public static Bound forUpdate(ObjectNode storedOrNull, ObjectNode payload, InputSchema schema, FieldErrors errors) {
        ObjectNode stored = storedOrNull == null ? Json.object() : storedOrNull;
        ObjectNode result = payload.deepCopy();
        Set<String> masked = new LinkedHashSet<>();
        for (String pointer : credentialPointers(payload)) {
            JsonNode value = payload.at(pointer);
            if (!(value.isTextual() && Secrets.MASK.equals(value.textValue()))) continue;
            JsonNode before = stored.at(pointer);
            if (isWholePlaceholder(before, schema)) {
                // Behind the mask is a placeholder (GET masks those too): a template is no credential, it stays.
                int slash = pointer.lastIndexOf('/');
                ((ObjectNode) result.at(pointer.substring(0, slash))).set(pointer.substring(slash + 1), before.deepCopy());
            } else {
                masked.add(pointer);
            }
        }
        List<String> unresolved = new ArrayList<>();
        Bound bound = bind(stored, result, masked, Set.of(), true, unresolved);
        for (String pointer : unresolved) {
            errors.add("payload" + pathOf(pointer), "is masked (\"" + Secrets.MASK + "\") but no value is stored to keep;"
                    + " send the real value");
        }
        return bound;
    }

    /**
     * A cooked spec. {@code inherited}: pointers of credentials in {@code spec} that came from the recipe (not from
     * an override, not filled entirely from an input); {@code filledPointers}: every string an input filled.
     */
    static Bound forCook(ObjectNode recipePayload, ObjectNode spec, Set<String> inherited, Set<String> filledPointers,
                         boolean mayTravel) {
        return bind(recipePayload, spec, inherited, filledPointers, mayTravel, null);
    }

    /**
     * Write-time check of a recipe payload: a credential the owner stores next to a destination an input fills could
     * never be used (cook drops it), and the recipe's author should hear so now, at {@code payload.<path>}.
     */
    public static void checkFixedDestinations(ObjectNode payload, InputSchema schema, FieldErrors errors) {
        Set<String> keys = new LinkedHashSet<>();
        schema.fields().forEach(f -> keys.add(f.key()));
        for (String base : bases(payload)) {
            boolean storesCredentials = Secrets.CREDENTIAL_FIELDS.stream().map(f -> payload.at(base + "/" + f))
                    .anyMatch(v -> !Json.isAbsent(v) && !(v.isTextual() && v.textValue().isEmpty())
                            && !isWholePlaceholder(v, schema));
            if (!storesCredentials) continue;
            for (String pointer : destinationPointers(base)) {
                JsonNode v = payload.at(pointer);
                if (!v.isTextual()) continue;
                for (String key : Templates.referencedKeys(v.textValue())) {
                    if (keys.contains(key)) {
                        errors.add("payload" + pathOf(pointer), "must not contain the input placeholder {{" + key + "}}:"
                                + " the registry credentials stored next to it are bound to a fixed registry and image"
                                + " (take the credentials from inputs too, or fix the destination)");
                        break;
                    }
                }
            }
        }
    }

    /** True when {@code value} is exactly one placeholder of a declared input: the whole value comes from whoever cooks. */
    static boolean isWholePlaceholder(JsonNode value, InputSchema schema) {
        if (value == null || !value.isTextual()) return false;
        Matcher m = Templates.PLACEHOLDER.matcher(value.textValue().strip());
        return m.matches() && schema.fields().stream().anyMatch(f -> f.key().equals(m.group(1)));
    }

    /** Pointers of every non-null credential value in a spec or payload (malformed shapes are skipped). */
    static Set<String> credentialPointers(ObjectNode doc) {
        return Secrets.standardSecretPointers(doc);
    }

    private static Bound bind(ObjectNode stored, ObjectNode result, Set<String> inherited, Set<String> chosenByInputs,
                              boolean mayTravel, List<String> unresolvedMasks) {
        ObjectNode out = result.deepCopy();
        Set<String> dropped = new LinkedHashSet<>();
        for (String pointer : inherited) {
            int slash = pointer.lastIndexOf('/');
            String base = pointer.substring(0, slash);
            String field = pointer.substring(slash + 1);
            JsonNode value = result.at(pointer);
            boolean masked = value.isTextual() && Secrets.MASK.equals(value.textValue());
            boolean fixedDestination = destinationPointers(base).stream().noneMatch(chosenByInputs::contains);
            JsonNode kept = mayTravel && fixedDestination ? storedValue(stored, result, base, field) : null;
            if (kept != null) {
                if (masked) ((ObjectNode) out.at(base)).set(field, kept.deepCopy());
                continue;
            }
            if (masked && unresolvedMasks != null && !anyStored(stored, base, field)) {
                unresolvedMasks.add(pointer);
                continue;
            }
            ((ObjectNode) out.at(base)).set(field, NullNode.getInstance());
            dropped.add(pointer);
        }
        return new Bound(out, dropped);
    }

    /**
     * The stored value the credential at {@code base/field} of {@code result} stands for: the same slot of the stored
     * payload when its destination is the same (for volumes: a stored volume with the same destination, the one at the
     * same index first). Null when there is none.
     */
    private static JsonNode storedValue(ObjectNode stored, ObjectNode result, String base, String field) {
        Destination wanted = destination(result, base);
        for (String candidate : candidateSlots(stored, base)) {
            JsonNode value = stored.at(candidate + "/" + field);
            if (!Json.isAbsent(value) && destination(stored, candidate).equals(wanted)) return value;
        }
        return null;
    }

    private static boolean anyStored(ObjectNode stored, String base, String field) {
        for (String candidate : candidateSlots(stored, base)) {
            if (!Json.isAbsent(stored.at(candidate + "/" + field))) return true;
        }
        return false;
    }

    /** The stored slots a result slot may stand for: the container for the container; for a volume, same index first. */
    private static List<String> candidateSlots(ObjectNode stored, String base) {
        if (base.equals(CONTAINER)) return List.of(CONTAINER);
        List<String> out = new ArrayList<>();
        if (stored.at(base).isObject()) out.add(base);
        JsonNode volumes = stored.at(CONTAINER + "/volumes");
        for (int i = 0; volumes.isArray() && i < volumes.size(); i++) {
            String candidate = CONTAINER + "/volumes/" + i;
            if (!candidate.equals(base) && volumes.get(i).isObject()) out.add(candidate);
        }
        return out;
    }

    /** The container and each volume object of a spec or payload. */
    private static List<String> bases(JsonNode doc) {
        List<String> out = new ArrayList<>();
        if (!doc.at(CONTAINER).isObject()) return out;
        out.add(CONTAINER);
        JsonNode volumes = doc.at(CONTAINER + "/volumes");
        for (int i = 0; volumes.isArray() && i < volumes.size(); i++) {
            if (volumes.get(i).isObject()) out.add(CONTAINER + "/volumes/" + i);
        }
        return out;
    }

    private static List<String> destinationPointers(String base) {
        return base.equals(CONTAINER)
                ? List.of(base + "/host", base + "/image", base + "/imagesrc")
                : List.of(base + "/registry", base + "/image");
    }

    /** Where credentials at {@code base} would be presented. */
    record Destination(String registry, String image, String source) {}

    static Destination destination(JsonNode doc, String base) {
        JsonNode slot = doc.at(base);
        if (base.equals(CONTAINER)) {
            return new Destination(registryHost(text(slot.get("host"))), imageName(text(slot.get("image"))),
                    blankToNull(text(slot.get("imagesrc"))));
        }
        return new Destination(registryHost(text(slot.get("registry"))), imageName(text(slot.get("image"))), null);
    }

    /** A registry host as compared: lower case, without scheme and trailing slashes, Docker Hub's aliases as one. */
    static String registryHost(String host) {
        String h = blankToNull(host);
        if (h == null) return null;
        h = h.toLowerCase(Locale.ROOT);
        if (h.startsWith("https://")) h = h.substring(8);
        else if (h.startsWith("http://")) h = h.substring(7);
        while (h.endsWith("/")) h = h.substring(0, h.length() - 1);
        return DOCKER_HUB_ALIASES.contains(h) ? DOCKER_HUB : h;
    }

    /**
     * An image's name as compared: its registry (Docker Hub when none, aliases as one) and path, without tag or digest;
     * an official Docker Hub image gets its implicit {@code library/}. Text that is no image reference (a template)
     * compares as written.
     */
    static String imageName(String image) {
        String text = blankToNull(image);
        if (text == null) return null;
        try {
            ImageReference ref = ImageReference.parse(text);
            String registry = ref.registry() == null ? DOCKER_HUB : registryHost(ref.registry());
            String path = registry.equals(DOCKER_HUB) && !ref.path().contains("/") ? "library/" + ref.path() : ref.path();
            return registry + "/" + path;
        } catch (IllegalArgumentException notAReference) {
            return text;
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** {@code /parameters/parameters/volumes/0/secret} → {@code .parameters.parameters.volumes[0].secret}. */
    static String pathOf(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.substring(1).split("/")) {
            if (part.matches("\\d+")) sb.append('[').append(part).append(']');
            else sb.append('.').append(part.replace("~1", "/").replace("~0", "~"));
        }
        return sb.toString();
    }
}
