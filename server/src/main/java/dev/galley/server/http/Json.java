package dev.galley.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.server.db.StoredJson;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The server's one JSON configuration: strict reading (duplicate keys, trailing data) and compact writing. */
public final class Json {
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The longest number the reader takes, in characters: also the longest a body's number may be written out in full. */
    private static final int MAX_NUMBER_LENGTH = 100;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(MAX_NUMBER_LENGTH).build())
            .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Json() {}

    /**
     * Parses a request body; malformed JSON is a 400 naming the position, never a 500. So is text no column can
     * hold, or a number that could not be read back once stored, wherever it is in the body (see
     * {@link #rejectUnstorableValues}).
     */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) throw ApiException.badRequest("body", "must be a JSON document");
            rejectUnstorableValues(node);
            return node;
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            var loc = e.getLocation();
            throw ApiException.badRequest("body", "is not valid JSON: " + msg
                    + (loc != null ? " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")" : ""));
        } catch (IOException e) {
            throw ApiException.badRequest("body", "could not be read: " + e.getMessage());
        } catch (NumberFormatException e) { // not an IOException: a number no BigDecimal holds, e.g. 1e-2147483649
            throw ApiException.badRequest("body", "has a number out of range: " + e.getMessage());
        }
    }

    /** A body that must be a JSON object; an empty body means {@code {}} when {@code emptyIsObject}. */
    public static ObjectNode parseObject(byte[] body, boolean emptyIsObject) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (emptyIsObject) return MAPPER.createObjectNode();
            throw ApiException.badRequest("body", "is required (a JSON object)");
        }
        JsonNode node = parse(body);
        if (!node.isObject()) throw ApiException.badRequest("body", "must be a JSON object");
        return (ObjectNode) node;
    }

    /**
     * Refuses U+0000 (PostgreSQL's text and jsonb cannot hold it, and argv, env and paths are C strings) and
     * unpaired surrogates (a {@code "\\ud800"} escape is valid JSON but no Unicode text) in every string and
     * every member name of a body, each error at its JSON path ({@code payload.parameters.parameters.env.A},
     * {@code input_schema[0].label}). One check here covers every field of every endpoint, present and future.
     * The same for numbers that are short as sent but long written out in full (see {@link #numberProblem}).
     */
    static void rejectUnstorableValues(JsonNode root) {
        var errors = new FieldErrors();
        walk(root, "", errors);
        errors.throwIfAny();
    }

    private static final int MAX_TEXT_ERRORS = 20;

    private static void walk(JsonNode node, String path, FieldErrors errors) {
        if (errors.list().size() >= MAX_TEXT_ERRORS) return;
        if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            if (problem != null) errors.add(path.isEmpty() ? "body" : path, problem);
        } else if (node.isBigDecimal()) {
            String problem = numberProblem(node.decimalValue());
            if (problem != null) errors.add(path.isEmpty() ? "body" : path, problem);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "[" + i + "]", errors);
        } else if (node.isObject()) {
            for (var it = node.fields(); it.hasNext(); ) {
                var member = it.next();
                String name = member.getKey();
                String memberPath = path.isEmpty() ? printable(name) : path + "." + printable(name);
                String problem = textProblem(name);
                if (problem != null) errors.add(memberPath, "field name " + problem);
                else walk(member.getValue(), memberPath, errors);
            }
        }
    }

    /**
     * PostgreSQL's jsonb keeps a number written out in full: {@code 1e-200} becomes {@code 0.000…1}, 202 characters,
     * which this reader refuses when the row is read back (so the job, node or recipe, and every list and scheduling
     * round that reads it, would fail for good), and {@code 1e999999999} overflows its numeric. Such a number is
     * refused here, measured without writing it out.
     */
    private static String numberProblem(java.math.BigDecimal n) {
        long precision = n.precision();
        long scale = n.scale();
        long plain = (scale <= 0 ? precision - scale : Math.max(precision, scale + 1) + 1) + (n.signum() < 0 ? 1 : 0);
        return plain <= MAX_NUMBER_LENGTH ? null
                : "must be a number of at most " + MAX_NUMBER_LENGTH + " characters when written out in full (" + n + " has " + plain + ")";
    }

    private static String textProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') return "must not contain NUL characters (\\u0000)";
            if (isUnpairedSurrogate(s, i)) {
                return "must be valid Unicode text (an unpaired surrogate \\u" + Integer.toHexString(s.charAt(i)) + " was found)";
            }
        }
        return null;
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        return false;
    }

    /** A member name as it can appear in an error path: NUL and unpaired surrogates written as escapes. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\0' || isUnpairedSurrogate(name, i)) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document as text, e.g. for a jsonb parameter. */
    public static String text(JsonNode node) {
        return StoredJson.text(node);
    }

    /** A document the server stored or wrote itself (no request checks: it passed them on the way in). */
    public static JsonNode read(String json) {
        return StoredJson.read(json);
    }

    /** An enum constant's name, or JSON null. */
    public static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    /** RFC 3339 UTC with milliseconds and {@code Z}, or JSON null. */
    public static String timestamp(Instant t) {
        return t == null ? null : RFC3339_MILLIS.format(t);
    }
}
