package dev.galley.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The core's shared Jackson objects. Both are thread-safe once configured; sharing them avoids building a mapper
 * per call and keeps number nodes consistent (parsed {@code 4} and produced {@code 4} are both {@code IntNode}).
 */
public final class Json {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses JSON text; for tests and callers that hold text. Throws {@link IllegalArgumentException} on bad JSON. */
    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** True for Java null, JSON null and a missing node: the three ways a value can be "not there". */
    public static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }
}
