package dev.galley.core.cook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.spec.Json;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{key}}} placeholders (spaces inside the braces allowed: {@code {{ key }}}) in every string value
 * of a JSON tree.
 *
 * <p>Rules: only string values are templated, never object keys, so environment variable names are always literal
 * (a name built from user input could collide with a reserved name or be invalid in ways only visible at cook
 * time). A placeholder whose key is not in {@code values} is left as written (a literal {@code {{x}}} may be
 * wanted, e.g. for a Go template in an env value). Substitution is a single pass: text inserted from an input is
 * never scanned again, so an input value cannot pull in another input.
 */
public final class Templates {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z][a-z0-9_]{0,63})\\s*\\}\\}");

    private Templates() {}

    /**
     * The result of a substitution: the new tree, the JSON Pointers of every string that changed, and of those the
     * ones that received a {@code secret} input (to be masked like other secrets).
     */
    public record Substitution(JsonNode tree, Set<String> substitutedPointers, Set<String> secretPointers) {
        public Substitution {
            substitutedPointers = Set.copyOf(substitutedPointers);
            secretPointers = Set.copyOf(secretPointers);
        }
    }

    /** Returns a new tree with placeholders filled; {@code tree} is not modified. */
    public static Substitution substitute(JsonNode tree, Map<String, String> values, Set<String> secretKeys) {
        Set<String> substituted = new LinkedHashSet<>();
        Set<String> secret = new LinkedHashSet<>();
        JsonNode out = walk(tree, "", values, secretKeys, substituted, secret);
        return new Substitution(out, substituted, secret);
    }

    /** The input keys referenced by placeholders in {@code text}, in order of appearance. */
    public static Set<String> referencedKeys(String text) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) keys.add(m.group(1));
        return keys;
    }

    private static JsonNode walk(JsonNode node, String pointer, Map<String, String> values, Set<String> secretKeys,
                                 Set<String> substituted, Set<String> secret) {
        if (node.isObject()) {
            ObjectNode out = Json.object();
            node.fields().forEachRemaining(e -> out.set(e.getKey(),
                    walk(e.getValue(), pointer + "/" + escape(e.getKey()), values, secretKeys, substituted, secret)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = Json.NODES.arrayNode();
            for (int i = 0; i < node.size(); i++) out.add(walk(node.get(i), pointer + "/" + i, values, secretKeys, substituted, secret));
            return out;
        }
        if (!node.isTextual()) return node.deepCopy();
        String text = node.textValue();
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        boolean changed = false;
        boolean gotSecret = false;
        while (m.find()) {
            String key = m.group(1);
            String value = values.get(key);
            if (value == null) {
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group()));
                continue;
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
            changed = true;
            gotSecret |= secretKeys.contains(key);
        }
        if (!changed) return node.deepCopy();
        m.appendTail(sb);
        substituted.add(pointer);
        if (gotSecret) secret.add(pointer);
        return Json.NODES.textNode(sb.toString());
    }

    /** RFC 6901 escaping of one reference token. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
