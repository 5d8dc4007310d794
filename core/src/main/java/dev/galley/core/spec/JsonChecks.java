package dev.galley.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldErrors;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Type and range checks on single JSON values, shared by every validator of request bodies. Each check records a
 * {@link dev.galley.core.error.FieldError} under the given path and returns {@code null} when the value fails, so
 * callers keep walking and report every failure at once. Callers handle JSON null themselves (whether null is
 * allowed depends on the field).
 */
public final class JsonChecks {
    /** Cap for strings the spec gives no length for: generous for real values, small enough to stop abuse. */
    public static final int DEFAULT_MAX_STRING = 4096;

    private JsonChecks() {}

    /** {@code a.b} path join; an empty prefix means the field sits at the top of the body. */
    public static String join(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }

    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /**
     * A whole number in {@code [min, max]}. {@code 4}, {@code 4.0} and {@code 4e0} are 4; {@code 4.5} is not an
     * integer. Values far outside a long are reported as out of range, not as a type error.
     */
    public static Long integer(JsonNode value, String path, long min, long max, FieldErrors errors) {
        BigDecimal d = finiteNumber(value, path, "must be an integer", errors);
        if (d == null) return null;
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            errors.add(path, "must be an integer");
            return null;
        }
        if (!inRange(d, BigDecimal.valueOf(min), BigDecimal.valueOf(max), path, errors)) return null;
        return d.longValueExact();
    }

    /** Any finite number in {@code [min, max]}. */
    public static BigDecimal number(JsonNode value, String path, BigDecimal min, BigDecimal max, FieldErrors errors) {
        BigDecimal d = finiteNumber(value, path, "must be a number", errors);
        if (d == null) return null;
        return inRange(d, min, max, path, errors) ? d : null;
    }

    /**
     * A string of {@code minLength..maxLength} code points without NUL characters (which cannot reach a container:
     * argv, env and file names are C strings).
     */
    public static String string(JsonNode value, String path, int minLength, int maxLength, FieldErrors errors) {
        if (value == null || !value.isTextual()) {
            errors.add(path, "must be a string");
            return null;
        }
        String s = value.textValue();
        int length = s.codePointCount(0, s.length());
        if (length < minLength) {
            errors.add(path, minLength == 1 ? "must not be empty" : "must be at least " + minLength + " characters");
            return null;
        }
        if (length > maxLength) {
            errors.add(path, "must be at most " + maxLength + " characters");
            return null;
        }
        if (s.indexOf('\0') >= 0) {
            errors.add(path, "must not contain NUL characters");
            return null;
        }
        return s;
    }

    /** Records "unknown field" for every member of {@code object} not in {@code allowed}; true when there were none. */
    public static boolean rejectUnknownFields(ObjectNode object, Collection<String> allowed, String prefix, FieldErrors errors) {
        List<String> unknown = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) unknown.add(name);
        });
        for (String name : unknown) errors.add(join(prefix, name), "unknown field (allowed: " + String.join(", ", allowed) + ")");
        return unknown.isEmpty();
    }

    /** The JSON form of a checked number: whole values as integers ({@code 4.0} → {@code 4}), others as doubles. */
    public static JsonNode numberNode(BigDecimal d) {
        if (d.signum() == 0 || d.stripTrailingZeros().scale() <= 0) {
            long whole = d.longValueExact();
            return whole == (int) whole ? Json.NODES.numberNode((int) whole) : Json.NODES.numberNode(whole);
        }
        return Json.NODES.numberNode(d.doubleValue());
    }

    /** Text of a checked number as a person would write it: {@code 4}, {@code 1.5}, {@code 1000000} (never 1.0E6). */
    public static String numberText(BigDecimal d) {
        if (d.signum() == 0) return "0";
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toPlainString();
    }

    private static BigDecimal finiteNumber(JsonNode value, String path, String typeMessage, FieldErrors errors) {
        if (value == null || !value.isNumber()) {
            errors.add(path, typeMessage);
            return null;
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            errors.add(path, "must be a finite number");
            return null;
        }
        return value.isDouble() || value.isFloat() ? BigDecimal.valueOf(value.doubleValue()) : value.decimalValue();
    }

    private static boolean inRange(BigDecimal d, BigDecimal min, BigDecimal max, String path, FieldErrors errors) {
        if (d.compareTo(min) < 0) {
            errors.add(path, "must be >= " + min.toPlainString());
            return false;
        }
        if (d.compareTo(max) > 0) {
            errors.add(path, "must be <= " + max.toPlainString());
            return false;
        }
        return true;
    }
}
