package dev.galley.core.list;

/** How one {@code filter[field]} value is read (spec §1.1). */
public enum FilterKind {
    /** A comma list of UUIDs: a set. */
    UUID_SET,
    /** A comma list of upper-case words from a fixed set (statuses, tasks, visibilities). */
    WORD_SET,
    /** A whole number, or {@code a,b} for a ≤ x ≤ b. */
    INTEGER_RANGE,
    /** A number, or {@code a,b} for a ≤ x ≤ b. */
    NUMBER_RANGE,
    /** An RFC 3339 instant or date, or {@code a,b}; a bare date as upper bound means the end of that day. */
    DATE_RANGE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Case-insensitive substring. */
    SUBSTRING
}
