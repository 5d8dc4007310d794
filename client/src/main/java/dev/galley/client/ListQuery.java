package dev.galley.client;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Paging, sorting and filters of a list call (spec §1.1). Immutable; each method returns a new query.
 *
 * <pre>{@code
 * ListQuery.first(50).filterAnyOf("status", List.of(JobStatus.PENDING, JobStatus.RUNNING)).sort("-created_at")
 * }</pre>
 */
public final class ListQuery {
    private final Integer page;
    private final Integer limit;
    private final String sort;
    private final Map<String, String> filters;

    private ListQuery(Integer page, Integer limit, String sort, Map<String, String> filters) {
        this.page = page;
        this.limit = limit;
        this.sort = sort;
        this.filters = Map.copyOf(filters);
    }

    /** The server's defaults: page 1, 20 items, newest first. */
    public static ListQuery defaults() {
        return new ListQuery(null, null, null, Map.of());
    }

    /** Page 1 with {@code limit} items. */
    public static ListQuery first(int limit) {
        return defaults().limit(limit);
    }

    public ListQuery page(int page) {
        if (page < 1) throw new IllegalArgumentException("page must be >= 1");
        return new ListQuery(page, limit, sort, filters);
    }

    public ListQuery limit(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1");
        return new ListQuery(page, limit, sort, filters);
    }

    /** {@code created_at}, {@code -created_at}, {@code updated_at} or {@code -updated_at}. */
    public ListQuery sort(String sort) {
        return new ListQuery(page, limit, sort, filters);
    }

    /** {@code filter[field]=value}; a null value removes the filter. A comma list is a set or a range. */
    public ListQuery filter(String field, String value) {
        Map<String, String> copy = new LinkedHashMap<>(filters);
        if (value == null) copy.remove(field);
        else copy.put(field, value);
        return new ListQuery(page, limit, sort, copy);
    }

    /** {@code filter[field]=A,B}: any of these statuses or codes (core's types); null or empty removes the filter. */
    public ListQuery filterAnyOf(String field, Collection<? extends Enum<?>> anyOf) {
        return filter(field, anyOf == null || anyOf.isEmpty() ? null
                : anyOf.stream().map(Enum::name).collect(Collectors.joining(",")));
    }

    public int pageOrDefault() {
        return page == null ? 1 : page;
    }

    /** The query string with a leading {@code ?}, or empty when nothing is set. */
    public String toQueryString() {
        StringBuilder q = new StringBuilder();
        if (page != null) append(q, "page", page.toString());
        if (limit != null) append(q, "limit", limit.toString());
        if (sort != null) append(q, "sort", sort);
        // Sorted so the same query always gives the same URL (easier to read in logs).
        filters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> append(q, "filter[" + e.getKey() + "]", e.getValue()));
        return q.toString();
    }

    private static void append(StringBuilder q, String key, String value) {
        q.append(q.isEmpty() ? '?' : '&').append(Urls.encode(key)).append('=').append(Urls.encode(value));
    }

    @Override
    public String toString() {
        return toQueryString();
    }
}
