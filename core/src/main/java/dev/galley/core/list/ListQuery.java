package dev.galley.core.list;

import java.util.List;

/** A validated list request: page (1-based), limit (1..50), sort and filters. */
public record ListQuery(int page, int limit, SortField sortField, boolean descending, List<Filter> filters) {
    public long offset() {
        return (long) (page - 1) * limit;
    }

    public enum SortField { CREATED_AT, UPDATED_AT }

    public <T extends Filter> java.util.Optional<T> filter(String field, Class<T> type) {
        return filters.stream().filter(f -> f.field().equals(field)).filter(type::isInstance).map(type::cast).findFirst();
    }
}
