package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.spec.Json;

/**
 * JSON Merge Patch, RFC 7396 section 2, as a pure function: objects merge recursively, a {@code null} member
 * deletes the key, arrays and scalars (and a non-object patch) replace the target. Inputs are never mutated.
 */
public final class JsonMergePatch {
    private JsonMergePatch() {}

    /** Returns the patched document; {@code target} may be null or missing (treated as JSON null, as in the RFC). */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || patch.isMissingNode()) return target == null ? null : target.deepCopy();
        if (!patch.isObject()) return patch.deepCopy();
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : Json.object();
        for (var it = patch.fields(); it.hasNext(); ) {
            var member = it.next();
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
