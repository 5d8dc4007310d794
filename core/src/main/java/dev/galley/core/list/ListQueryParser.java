package dev.galley.core.list;

import dev.galley.core.error.FieldErrors;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Parses {@code page}, {@code limit}, {@code sort} and {@code filter[...]} query parameters per spec §1.1.
 * Unknown parameters and filters are rejected (a typo must not silently list everything).
 */
public final class ListQueryParser {
    public static final int MAX_LIMIT = 50;
    /** Dates a filter may name: what every client and PostgreSQL's timestamptz agree on. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    private final Map<String, FilterKind> filters;
    private final Map<String, Set<String>> words;
    private final Set<String> extraParams;

    /**
     * @param filters     the filterable fields and how each is read
     * @param words       for WORD_SET filters, the accepted values
     * @param extraParams other query parameters the endpoint accepts (ignored here)
     */
    public ListQueryParser(Map<String, FilterKind> filters, Map<String, Set<String>> words, Set<String> extraParams) {
        this.filters = Map.copyOf(filters);
        this.words = Map.copyOf(words);
        this.extraParams = Set.copyOf(extraParams);
    }

    /** The names of an enum's constants, in declaration order: the words a status filter accepts. */
    public static Set<String> names(Enum<?>[] constants) {
        var names = new LinkedHashSet<String>();
        for (Enum<?> c : constants) names.add(c.name());
        return names;
    }

    /** @param params decoded query parameters; a parameter given twice is an error */
    public ListQuery parse(Map<String, List<String>> params) {
        var errors = new FieldErrors();
        int page = 1;
        int limit = 20;
        var sort = ListQuery.SortField.CREATED_AT;
        boolean desc = true;
        List<Filter> parsed = new ArrayList<>();
        for (var entry : params.entrySet()) {
            String name = entry.getKey();
            List<String> values = entry.getValue();
            if (values.size() != 1) {
                errors.add(name, "must be given once");
                continue;
            }
            String value = values.get(0);
            if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0) {
                // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the database.
                errors.add(name.replace("\0", "\\u0000"), "must not contain NUL characters (%00)");
                continue;
            }
            switch (name) {
                case "page" -> page = wholeNumber(name, value, 1, Integer.MAX_VALUE, errors, page);
                case "limit" -> limit = wholeNumber(name, value, 1, MAX_LIMIT, errors, limit);
                case "sort" -> {
                    switch (value) {
                        case "created_at" -> { sort = ListQuery.SortField.CREATED_AT; desc = false; }
                        case "-created_at" -> { sort = ListQuery.SortField.CREATED_AT; desc = true; }
                        case "updated_at" -> { sort = ListQuery.SortField.UPDATED_AT; desc = false; }
                        case "-updated_at" -> { sort = ListQuery.SortField.UPDATED_AT; desc = true; }
                        default -> errors.add("sort", "must be one of created_at, -created_at, updated_at, -updated_at");
                    }
                }
                default -> {
                    if (name.startsWith("filter[") && name.endsWith("]")) {
                        String field = name.substring(7, name.length() - 1);
                        FilterKind kind = filters.get(field);
                        if (kind == null) {
                            errors.add(name, "is not a filter of this list; filters: " + String.join(", ", filters.keySet().stream().sorted().toList()));
                        } else {
                            Filter f = parseFilter(name, field, kind, value, errors);
                            if (f != null) parsed.add(f);
                        }
                    } else if (!extraParams.contains(name)) {
                        errors.add(name, "is not a query parameter of this endpoint");
                    }
                }
            }
        }
        errors.throwIfAny();
        return new ListQuery(page, limit, sort, desc, List.copyOf(parsed));
    }

    private static int wholeNumber(String name, String raw, int min, int max, FieldErrors errors, int fallback) {
        try {
            long v = Long.parseLong(raw.trim());
            if (v < min) { errors.add(name, "must be >= " + min); return fallback; }
            if (v > max) {
                // An out-of-range page is an empty page, not an error (spec §1.1); only limit has a hard max.
                if (name.equals("page")) return Integer.MAX_VALUE;
                errors.add(name, "must be <= " + max);
                return fallback;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            errors.add(name, "must be a whole number");
            return fallback;
        }
    }

    private Filter parseFilter(String param, String field, FilterKind kind, String raw, FieldErrors errors) {
        String value = raw.trim();
        if (value.isEmpty()) {
            errors.add(param, "must not be empty");
            return null;
        }
        return switch (kind) {
            case UUID_SET -> {
                List<UUID> ids = new ArrayList<>();
                for (String part : value.split(",", -1)) {
                    try {
                        ids.add(parseUuid(part.trim()));
                    } catch (IllegalArgumentException e) {
                        errors.add(param, "must be a UUID or a comma list of UUIDs");
                        yield null;
                    }
                }
                yield new Filter.UuidSet(field, List.copyOf(ids));
            }
            case WORD_SET -> {
                Set<String> allowed = words.getOrDefault(field, Set.of());
                List<String> out = new ArrayList<>();
                for (String part : value.split(",", -1)) {
                    String w = part.trim().toUpperCase(Locale.ROOT);
                    if (!allowed.contains(w)) {
                        errors.add(param, "must be one or more of " + String.join(", ", allowed.stream().sorted().toList()));
                        yield null;
                    }
                    out.add(w);
                }
                yield new Filter.WordSet(field, List.copyOf(out));
            }
            case INTEGER_RANGE, NUMBER_RANGE -> {
                String[] parts = value.split(",", -1);
                if (parts.length > 2) {
                    errors.add(param, "must be a number or a range a,b");
                    yield null;
                }
                try {
                    double from = number(parts[0], kind);
                    double to = parts.length == 2 ? number(parts[1], kind) : from;
                    if (from > to) {
                        errors.add(param, "range start must be <= range end");
                        yield null;
                    }
                    yield new Filter.NumberRange(field, from, to);
                } catch (NumberFormatException e) {
                    errors.add(param, kind == FilterKind.INTEGER_RANGE ? "must be a whole number or a range a,b" : "must be a number or a range a,b");
                    yield null;
                }
            }
            case DATE_RANGE -> {
                String[] parts = value.split(",", -1);
                if (parts.length > 2) {
                    errors.add(param, "must be a date-time, a date, or a range a,b");
                    yield null;
                }
                try {
                    Instant from = instant(parts[0].trim(), false);
                    Instant to = parts.length == 2 ? instant(parts[1].trim(), true) : null;
                    if (to == null) {
                        // A single bare date is that whole day; a single instant is an exact match.
                        to = parts[0].trim().length() == 10 ? instant(parts[0].trim(), true) : from;
                    }
                    if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
                        errors.add(param, "must lie between 0001-01-01 and 9999-12-31");
                        yield null;
                    }
                    if (from.isAfter(to)) {
                        errors.add(param, "range start must be <= range end");
                        yield null;
                    }
                    yield new Filter.DateRange(field, from, to);
                } catch (DateTimeParseException e) {
                    errors.add(param, "must be an RFC 3339 date-time or a date (YYYY-MM-DD), or a range a,b");
                    yield null;
                }
            }
            case BOOLEAN -> {
                if (value.equals("true")) yield new Filter.Bool(field, true);
                if (value.equals("false")) yield new Filter.Bool(field, false);
                errors.add(param, "must be true or false");
                yield null;
            }
            case SUBSTRING -> {
                if (value.length() > 200) {
                    errors.add(param, "must be at most 200 characters");
                    yield null;
                }
                yield new Filter.Substring(field, value);
            }
        };
    }

    private static double number(String raw, FilterKind kind) {
        String s = raw.trim();
        if (kind == FilterKind.INTEGER_RANGE) return Long.parseLong(s);
        double d = Double.parseDouble(s);
        if (Double.isNaN(d) || Double.isInfinite(d) || s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")) {
            throw new NumberFormatException(s);
        }
        return d;
    }

    private static Instant instant(String s, boolean endOfDay) {
        if (s.length() == 10) {
            LocalDate d = LocalDate.parse(s);
            return endOfDay ? d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusMillis(1)
                    : d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(s).toInstant();
    }

    /** Strict UUID syntax (8-4-4-4-12 hex); {@link UUID#fromString} alone accepts odd shapes like "1-1-1-1-1". */
    public static UUID parseUuid(String s) {
        if (s == null || !s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw new IllegalArgumentException("not a UUID: " + s);
        }
        return UUID.fromString(s);
    }
}
