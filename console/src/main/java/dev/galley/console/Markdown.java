package dev.galley.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The safe subset of Markdown a recipe's quickstart is shown in: headings, paragraphs, bullet lists, fenced code
 * and inline code. It produces structure, never HTML: the template writes every piece as escaped text, so raw
 * HTML, links with scripts and the like in a quickstart show as the characters they are.
 */
public final class Markdown {
    /** A run of text inside a block; {@code code} for a backtick span. */
    public record Span(String text, boolean code) {}

    /** kind: h1..h3, p, ul (items), pre (text). */
    public record Block(String kind, List<List<Span>> lines, String text) {}

    private Markdown() {}

    public static List<Block> blocks(String md) {
        List<Block> out = new ArrayList<>();
        if (md == null) return out;
        String[] lines = md.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        StringBuilder para = new StringBuilder();
        List<List<Span>> items = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String trimmed = line.strip();
            if (trimmed.startsWith("```")) {
                flush(out, para, items);
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.length && !lines[i].strip().startsWith("```"); i++) code.append(lines[i]).append('\n');
                out.add(new Block("pre", List.of(), code.toString()));
            } else if (trimmed.startsWith("#")) {
                flush(out, para, items);
                int level = 0;
                while (level < trimmed.length() && trimmed.charAt(level) == '#') level++;
                out.add(new Block("h" + Math.min(3, level), List.of(spans(trimmed.substring(level).strip())), null));
            } else if (trimmed.startsWith("- ") || trimmed.startsWith("* ")) {
                if (!para.isEmpty()) flush(out, para, new ArrayList<>());
                items.add(spans(trimmed.substring(2).strip()));
            } else if (trimmed.isEmpty()) {
                flush(out, para, items);
            } else {
                if (!items.isEmpty()) flush(out, new StringBuilder(), items);
                if (!para.isEmpty()) para.append(' ');
                para.append(trimmed);
            }
        }
        flush(out, para, items);
        return out;
    }

    private static void flush(List<Block> out, StringBuilder para, List<List<Span>> items) {
        if (!para.isEmpty()) {
            out.add(new Block("p", List.of(spans(para.toString())), null));
            para.setLength(0);
        }
        if (!items.isEmpty()) {
            out.add(new Block("ul", List.copyOf(items), null));
            items.clear();
        }
    }

    static List<Span> spans(String text) {
        List<Span> spans = new ArrayList<>();
        boolean code = false;
        for (String part : text.split("`", -1)) {
            if (!part.isEmpty()) spans.add(new Span(part, code));
            code = !code;
        }
        return spans;
    }
}
