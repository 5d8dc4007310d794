package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON body being mutated: a Jackson tree in which some values and member names stand for raw JSON text.
 * The tree keeps the structure easy to walk; the raw text lets a value be what no JSON writer would write
 * ({@code "\ud800"}, {@code 1e309}, {@code NaN}, a member twice), so the server's own reader decides what it means.
 */
final class JsonDraft {
    private static final Pattern PLACEHOLDER = Pattern.compile("\"__fz(\\d+)__\"");
    private final List<String> raw = new ArrayList<>();
    private JsonNode root;

    JsonDraft(JsonNode root) {
        this.root = root;
    }

    JsonNode root() {
        return root;
    }

    void setRoot(JsonNode root) {
        this.root = root;
    }

    /** A string that renders as {@code rawJson}, for use as a value or a member name. */
    String placeholder(String rawJson) {
        raw.add(rawJson);
        return "__fz" + (raw.size() - 1) + "__";
    }

    /** A value node that renders as {@code rawJson}. */
    JsonNode rawValue(String rawJson) {
        return TextNode.valueOf(placeholder(rawJson));
    }

    /**
     * The body as sent: the tree's JSON with every placeholder replaced by its raw text (which may hold more). Cut at
     * {@value #MAX_CHARS} characters: a long string repeated in a long array would otherwise be gigabytes, and past
     * the server's 1 MiB limit every size is the same test.
     */
    String text() {
        String text = root.toString();
        for (int round = 0; round < 16; round++) {
            Matcher m = PLACEHOLDER.matcher(text);
            if (!m.find()) return text;
            StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS));
            do {
                m.appendReplacement(out, Matcher.quoteReplacement(raw.get(Integer.parseInt(m.group(1)))));
                if (out.length() > MAX_CHARS) return out.substring(0, MAX_CHARS);
            } while (m.find());
            m.appendTail(out);
            text = out.length() > MAX_CHARS ? out.substring(0, MAX_CHARS) : out.toString();
        }
        throw new IllegalStateException("placeholders nested deeper than 16");
    }

    static final int MAX_CHARS = 3 * 1024 * 1024;

    byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
