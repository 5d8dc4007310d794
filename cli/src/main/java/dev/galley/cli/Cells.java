package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Formats API values for table cells. */
final class Cells {
    private Cells() {}

    /** A field as text; null for absent or JSON null (the table shows {@code -}). */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    /** {@code 2026-11-26T21:14:09.123Z} → {@code 2026-11-26 21:14:09}: seconds are precise enough to read. */
    static String time(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) return null;
        String shown = text.replace('T', ' ');
        int dot = shown.indexOf('.');
        if (dot > 0) return shown.substring(0, dot);
        return shown.endsWith("Z") ? shown.substring(0, shown.length() - 1) : shown;
    }

    static String yesNo(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isBoolean() ? (value.asBoolean() ? "yes" : "no") : null;
    }

    /** {@code 45s}, {@code 3m05s}, {@code 2h04m}. */
    static String elapsed(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
