package dev.galley.core.list;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One parsed, validated {@code filter[field]=value}. */
public sealed interface Filter {
    String field();

    record UuidSet(String field, List<UUID> values) implements Filter {}

    record WordSet(String field, List<String> values) implements Filter {}

    /** Inclusive range; {@code from == to} for an exact match. */
    record NumberRange(String field, double from, double to) implements Filter {}

    record DateRange(String field, Instant from, Instant toInclusive) implements Filter {}

    record Bool(String field, boolean value) implements Filter {}

    record Substring(String field, String text) implements Filter {}
}
