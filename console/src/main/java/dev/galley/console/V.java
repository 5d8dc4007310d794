package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Small formatting helpers the templates call. They return plain text: the templates escape it (JTE's HTML
 * mode escapes every {@code ${…}} for where it stands), so nothing here needs to think about HTML.
 */
public final class V {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private V() {}

    /** A field as text; "—" when absent or null. */
    public static String t(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.isMissingNode() ? "—" : v.isValueNode() ? v.asText() : v.toString();
    }

    public static boolean has(JsonNode node, String field) {
        return node != null && node.hasNonNull(field);
    }

    /** The first 8 characters of a uuid, for tables; the whole one is in the link and the copy button. */
    public static String shortId(String uuid) {
        return uuid.length() > 8 ? uuid.substring(0, 8) : uuid;
    }

    /** A status's CSS class: one colour per kind of state. */
    public static String statusClass(String status) {
        return switch (status) {
            case "COMPLETED", "ONLINE", "ACTIVE", "FINALIZED" -> "status ok";
            case "FAILED", "OFFLINE" -> "status bad";
            case "CANCELLED", "CANCELLING", "ARCHIVED", "DRAINING" -> "status muted";
            case "RUNNING", "PREPARING", "ASSIGNED" -> "status busy";
            default -> "status waiting";
        };
    }

    /** An RFC 3339 timestamp as people read it; the script turns it into "3 min ago". */
    public static String when(JsonNode node, String field) {
        if (!has(node, field)) return "—";
        try {
            return SHOWN.format(Instant.parse(node.get(field).asText()));
        } catch (RuntimeException e) {
            return node.get(field).asText();
        }
    }

    /** Epoch milliseconds as an RFC 3339 timestamp, for {@code <time datetime>}. */
    public static String isoMs(JsonNode node, String field) {
        return has(node, field) ? Instant.ofEpochMilli(node.get(field).asLong()).toString() : "";
    }

    public static String whenMs(JsonNode node, String field) {
        return has(node, field) ? SHOWN.format(Instant.ofEpochMilli(node.get(field).asLong())) : "—";
    }

    public static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(node);
        }
    }

    /** The GPU a job asks for, in words. */
    public static String gpus(JsonNode job) {
        int n = job.path("gpu_count").asInt(0);
        if (n == 0) return "no GPU";
        String model = has(job, "gpu_name") ? job.get("gpu_name").asText() : "any GPU";
        return n + " × " + model;
    }

    /** A thumbnail may be shown only from https (the CSP allows no other remote images). */
    public static boolean safeImage(JsonNode recipe) {
        return has(recipe, "thumbnail_url") && recipe.get("thumbnail_url").asText().startsWith("https://");
    }

    public static boolean terminal(String status) {
        return status.equals("COMPLETED") || status.equals("FAILED") || status.equals("CANCELLED");
    }
}
