package dev.galley.core.spec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Write-only values in a job spec, addressed by JSON Pointers (RFC 6901): the registry credentials
 * ({@code parameters.parameters.user} and {@code .secret}, {@code volumes[i].user} and {@code .secret}) and any
 * string a cook filled from a {@code secret} input. The server stores the real values encrypted ({@link #extract}),
 * answers with {@link #masked} specs, and hands the node a {@link #revealed} spec.
 *
 * <p>Decision: the registry {@code user} is masked like the password. It is half of a credential, and for many
 * registries (deploy tokens, robot accounts, service principals) knowing it is most of the way to using it; a PUBLIC
 * recipe would otherwise show it to every account.
 */
public final class Secrets {
    public static final String MASK = "********";
    /** The registry credential fields of {@code parameters.parameters} and of each volume. */
    public static final List<String> CREDENTIAL_FIELDS = List.of("user", "secret");

    private Secrets() {}

    /**
     * Pointers of the registry credentials present (non-null) in a spec (normalized or a raw recipe payload), e.g.
     * {@code /parameters/parameters/user}, {@code /parameters/parameters/volumes/0/secret}.
     */
    public static Set<String> standardSecretPointers(ObjectNode spec) {
        Set<String> pointers = new LinkedHashSet<>();
        JsonNode container = spec.path("parameters").path("parameters");
        for (String field : CREDENTIAL_FIELDS) {
            if (isSecretValue(container.get(field))) pointers.add("/parameters/parameters/" + field);
        }
        JsonNode volumes = container.path("volumes");
        if (!volumes.isArray()) return pointers; // also used on raw recipe payloads, which may be malformed
        for (int i = 0; i < volumes.size(); i++) {
            for (String field : CREDENTIAL_FIELDS) {
                if (isSecretValue(volumes.get(i).path(field))) pointers.add("/parameters/parameters/volumes/" + i + "/" + field);
            }
        }
        return pointers;
    }


    /** A deep copy with every pointed-at value that exists (and is not null) replaced by {@link #MASK}. */
    public static ObjectNode masked(ObjectNode spec, Set<String> pointers) {
        ObjectNode copy = spec.deepCopy();
        for (String pointer : pointers) {
            if (isSecretValue(copy.at(pointer))) replace(copy, pointer, Json.NODES.textNode(MASK));
        }
        return copy;
    }

    /** The real text at each pointer (pointers to missing or null values are skipped). */
    public static Map<String, String> extract(ObjectNode spec, Set<String> pointers) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pointer : pointers) {
            JsonNode value = spec.at(pointer);
            if (isSecretValue(value)) values.put(pointer, value.isTextual() ? value.textValue() : value.toString());
        }
        return values;
    }

    /** A deep copy of a masked spec with the real values put back; pointers whose parent no longer exists are skipped. */
    public static ObjectNode revealed(ObjectNode maskedSpec, Map<String, String> secrets) {
        ObjectNode copy = maskedSpec.deepCopy();
        secrets.forEach((pointer, value) -> replace(copy, pointer, Json.NODES.textNode(value)));
        return copy;
    }

    private static boolean isSecretValue(JsonNode value) {
        return value != null && !value.isMissingNode() && !value.isNull();
    }

    private static void replace(ObjectNode root, String pointer, JsonNode value) {
        JsonPointer ptr = JsonPointer.compile(pointer);
        if (ptr.matches()) return; // the empty pointer is the whole document, never a secret
        JsonPointer parentPointer = ptr.head();
        JsonNode parent = parentPointer == null ? null : root.at(parentPointer);
        String last = ptr.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            int i = ptr.last().getMatchingIndex();
            if (i >= 0 && i < array.size()) array.set(i, value);
        }
    }
}
