package dev.galley.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of a small request object (accounts, keys, recipe metadata) strictly: unknown fields
 * and wrong types are collected as field errors, all reported together by {@link #finish()}.
 */
public final class JsonFields {
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private final ObjectNode body;
    private final FieldErrors errors = new FieldErrors();

    public JsonFields(ObjectNode body, Set<String> allowed) {
        this.body = body;
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) errors.add(name, "is not a known field");
        });
    }

    public FieldErrors errors() {
        return errors;
    }

    public boolean has(String name) {
        return body.has(name);
    }

    public JsonNode raw(String name) {
        return body.get(name);
    }

    /** A string of {@code min..max} characters; null when absent or JSON null (reported if required). */
    public String string(String name, boolean required, int min, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            if (required) errors.add(name, "is required");
            return null;
        }
        if (!n.isTextual()) {
            errors.add(name, "must be a string");
            return null;
        }
        String s = n.textValue();
        if (s.length() < min) errors.add(name, min == 1 ? "must not be empty" : "must be at least " + min + " characters");
        else if (s.length() > max) errors.add(name, "must be at most " + max + " characters");
        return s;
    }

    public Boolean bool(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) {
            errors.add(name, "must be true or false");
            return null;
        }
        return n.booleanValue();
    }

    /** An array of strings; null when absent. */
    public List<String> strings(String name, boolean required, int maxItems, int maxLength) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            if (required) errors.add(name, "is required");
            return null;
        }
        if (!n.isArray()) {
            errors.add(name, "must be an array of strings");
            return null;
        }
        if (n.size() > maxItems) errors.add(name, "must have at most " + maxItems + " items");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            if (!item.isTextual()) errors.add(name + "[" + i + "]", "must be a string");
            else if (item.textValue().length() > maxLength) errors.add(name + "[" + i + "]", "must be at most " + maxLength + " characters");
            else out.add(item.textValue());
        }
        return out;
    }

    /** An RFC 3339 date-time; null when absent or null. */
    public Instant instant(String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) {
            errors.add(name, "must be an RFC 3339 date-time string");
            return null;
        }
        try {
            Instant t = OffsetDateTime.parse(n.textValue()).toInstant();
            if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
                // Java parses years past 9999 ("+100000-01-01T00:00:00Z"); PostgreSQL cannot store all of them.
                errors.add(name, "must lie between 0001-01-01 and 9999-12-31");
                return null;
            }
            return t;
        } catch (DateTimeParseException e) {
            errors.add(name, "must be an RFC 3339 date-time such as 2027-01-31T00:00:00Z");
            return null;
        }
    }

    public java.util.UUID uuid(String name) {
        String s = string(name, false, 0, 100);
        if (s == null) return null;
        try {
            return dev.galley.core.list.ListQueryParser.parseUuid(s);
        } catch (IllegalArgumentException e) {
            errors.add(name, "must be a UUID");
            return null;
        }
    }

    public void finish() {
        errors.throwIfAny();
    }
}
