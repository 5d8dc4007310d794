package dev.galley.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON form used for request-body hashes (spec §2): the bytes Python's
 * {@code json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)} produces, which is
 * what the official Dispersed client sends, with one deliberate difference for numbers.
 *
 * <ul>
 *   <li>Object keys sorted recursively by Unicode code point (Python's {@code str} order; note that Java's
 *       {@code String.compareTo} orders by UTF-16 unit, which differs for characters above U+FFFF).</li>
 *   <li>No whitespace; array order kept.</li>
 *   <li>Strings: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}; every
 *       other character outside printable ASCII (U+0020..U+007E) as {@code \}{@code uXXXX} with lower-case hex,
 *       characters above U+FFFF as their UTF-16 surrogate pair; {@code /} is not escaped.</li>
 *   <li>Numbers exactly as written in the input: {@code 1.0} stays {@code 1.0}, {@code 1e3} stays {@code 1e3},
 *       {@code -0} stays {@code -0}. Python would re-print floats ({@code 1e3} becomes {@code 1000.0},
 *       {@code 1.50} becomes {@code 1.5}); re-printing numbers is where JSON libraries disagree most, so the
 *       spec fixes "as written". Clients that send Python's canonical bytes are unaffected: their raw body
 *       already is canonical, and the server also accepts the raw-body hash.</li>
 *   <li>Duplicate object keys: the last one wins, as in Python's {@code json.loads}.</li>
 * </ul>
 * Input must be one strict JSON value (RFC 8259: no comments, NaN, leading zeros or trailing data);
 * anything else throws {@link IllegalArgumentException}.
 */
public final class CanonicalJson {
    // Jackson's defaults are strict JSON (no comments, NaN, single quotes, leading zeros) and cap nesting
    // depth at 1000, which also bounds the recursion below.
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** Orders strings by Unicode code point, as Python sorts {@code str} keys. */
    public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {}

    public static String canonicalize(String json) {
        if (json == null) throw new IllegalArgumentException("JSON text is null");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return canonicalize(parser);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Reads JSON bytes as sent on the wire (UTF-8; invalid UTF-8 is malformed). */
    public static String canonicalize(byte[] json) {
        if (json == null) throw new IllegalArgumentException("JSON bytes are null");
        try (JsonParser parser = FACTORY.createParser(json)) {
            return canonicalize(parser);
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    private static String canonicalize(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) throw new IllegalArgumentException("malformed JSON: no value");
        Value root = read(parser, first);
        JsonToken trailing = parser.nextToken();
        if (trailing != null) throw new IllegalArgumentException("malformed JSON: unexpected data after the value");
        StringBuilder out = new StringBuilder();
        root.writeTo(out);
        return out.toString();
    }

    private static IllegalArgumentException malformed(IOException e) {
        // Jackson's message names the offending character and its line/column, which helps the client.
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new IllegalArgumentException("malformed JSON: " + detail, e);
    }

    /**
     * A parsed value in a form that serializes in one pass: building the output bottom-up as strings would
     * copy deep documents once per nesting level.
     */
    private sealed interface Value permits Literal, ObjectValue, ArrayValue {
        void writeTo(StringBuilder out);
    }

    /** A scalar, already in its canonical text form. */
    private record Literal(String text) implements Value {
        public void writeTo(StringBuilder out) {
            out.append(text);
        }
    }

    private record ObjectValue(Map<String, Value> members) implements Value {
        public void writeTo(StringBuilder out) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Value> member : members.entrySet()) {
                if (!first) out.append(',');
                first = false;
                writeString(member.getKey(), out);
                out.append(':');
                member.getValue().writeTo(out);
            }
            out.append('}');
        }
    }

    private record ArrayValue(List<Value> items) implements Value {
        public void writeTo(StringBuilder out) {
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) out.append(',');
                items.get(i).writeTo(out);
            }
            out.append(']');
        }
    }

    private static Value read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Value> members = new TreeMap<>(CODE_POINT_ORDER);
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    members.put(name, read(parser, parser.nextToken()));
                }
                return new ObjectValue(members);
            }
            case START_ARRAY -> {
                List<Value> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(read(parser, t));
                }
                return new ArrayValue(items);
            }
            case VALUE_STRING -> {
                StringBuilder escaped = new StringBuilder();
                writeString(parser.getText(), escaped);
                return new Literal(escaped.toString());
            }
            // getText() on a number token returns the characters of the input, not a re-printed value.
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Literal(parser.getText());
            }
            case VALUE_TRUE -> {
                return new Literal("true");
            }
            case VALUE_FALSE -> {
                return new Literal("false");
            }
            case VALUE_NULL -> {
                return new Literal("null");
            }
            default -> throw new IllegalArgumentException("malformed JSON: unexpected token " + token);
        }
    }

    /** Python's {@code ensure_ascii=True} string encoding. */
    static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Iterating UTF-16 units makes characters above U+FFFF come out as surrogate pairs,
                    // exactly as Python does.
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        if (i < a.length()) return 1;
        if (j < b.length()) return -1;
        return 0;
    }
}
