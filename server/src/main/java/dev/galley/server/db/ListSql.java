package dev.galley.server.db;

import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Builds one list query (filters → WHERE, sort, LIMIT/OFFSET) and its exact COUNT from a validated
 * {@link ListQuery}. Column names come only from code, never from the request; values are always bound.
 */
public final class ListSql {
    private final String table;
    private final String columns;
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> binds = new HashMap<>();
    private int counter;

    public record Page<T>(List<T> data, long total) {}

    public ListSql(String table, String columns) {
        this.table = table;
        this.columns = columns;
    }

    public ListSql where(String condition, String bindName, Object value) {
        conditions.add(condition);
        if (bindName != null) binds.put(bindName, value);
        return this;
    }

    public ListSql where(String condition) {
        conditions.add(condition);
        return this;
    }

    /** A named value for a condition added with {@link #where(String)}; every bound name must be used (JDBI refuses unused ones). */
    public ListSql bind(String name, Object value) {
        binds.put(name, value);
        return this;
    }

    /**
     * Each filter on the column of its field's name: the parser accepted only the endpoint's own fields, so the name
     * is one the code chose.
     */
    public ListSql filters(List<Filter> filters) {
        filters.forEach(f -> filter(f.field(), f));
        return this;
    }

    /** One filter on {@code column}, by its kind. */
    public void filter(String column, Filter f) {
        switch (f) {
            case Filter.UuidSet u -> uuidSet(column, u);
            case Filter.WordSet w -> wordSet(column, w);
            case Filter.NumberRange r -> numberRange(column, r);
            case Filter.DateRange d -> dateRange(column, d);
            case Filter.Bool b -> bool(column, b);
            case Filter.Substring s -> substring(column, s);
        }
    }

    public void uuidSet(String column, Filter.UuidSet f) {
        String p = next();
        conditions.add(column + " = ANY(:" + p + ")");
        binds.put(p, f.values().toArray(java.util.UUID[]::new));
    }

    public void wordSet(String column, Filter.WordSet f) {
        String p = next();
        if (f.values().size() == 1) {
            // "= x" lets an index on (…, column, created_at) also deliver the order; "= ANY" would not.
            conditions.add(column + " = :" + p);
            binds.put(p, f.values().getFirst());
        } else {
            conditions.add(column + " = ANY(:" + p + ")");
            binds.put(p, f.values().toArray(String[]::new));
        }
    }

    public void numberRange(String column, Filter.NumberRange f) {
        String a = next();
        String b = next();
        if (f.from() == f.to()) {
            conditions.add(column + " = :" + a);
            binds.put(a, f.from());
        } else {
            conditions.add(column + " BETWEEN :" + a + " AND :" + b);
            binds.put(a, f.from());
            binds.put(b, f.to());
        }
    }

    public void dateRange(String column, Filter.DateRange f) {
        String a = next();
        String b = next();
        conditions.add(column + " BETWEEN :" + a + " AND :" + b);
        binds.put(a, Timestamp.from(f.from()));
        binds.put(b, Timestamp.from(f.toInclusive()));
    }

    public void bool(String column, Filter.Bool f) {
        String p = next();
        conditions.add(column + " = :" + p);
        binds.put(p, f.value());
    }

    public void substring(String column, Filter.Substring f) {
        String p = next();
        conditions.add("strpos(lower(" + column + "), lower(:" + p + ")) > 0");
        binds.put(p, f.text());
    }

    /**
     * Deferred join for a plain table: the page's uuids are found first (an index-only walk past the
     * offset), then only those rows are read. Deep pages then skip index entries, not whole rows.
     */
    public ListSql deferredJoin() {
        this.deferred = true;
        return this;
    }

    private boolean deferred;
    private java.util.function.ToLongFunction<Handle> exactTotal;

    /** Supplies the total without COUNT(*) (e.g. from kept counters) when the caller knows it exactly. */
    public ListSql total(java.util.function.ToLongFunction<Handle> exact) {
        this.exactTotal = exact;
        return this;
    }

    /**
     * Past the first page the total is counted first (it was needed anyway), and a page that starts at or past it is
     * answered empty without running the page query: an OFFSET of billions would otherwise make PostgreSQL step
     * through every matching row to find nothing (spec §1.1: an out-of-range page is an empty page). With kept
     * counters ({@link #total}) such a request touches no rows at all.
     */
    public <T> Page<T> run(Handle h, ListQuery q, RowMapper<T> mapper) {
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        if (q.page() == 1) {
            List<T> data = page(h, q, where, mapper);
            // The whole result fits on the first page: no second query needed.
            return new Page<>(data, data.size() < q.limit() ? data.size() : total(h, where));
        }
        long total = total(h, where);
        if (q.offset() >= total) return new Page<>(List.of(), total);
        return new Page<>(page(h, q, where, mapper), total);
    }

    private <T> List<T> page(Handle h, ListQuery q, String where, RowMapper<T> mapper) {
        String sortColumn = q.sortField() == ListQuery.SortField.CREATED_AT ? "created_at" : "updated_at";
        String dir = q.descending() ? " DESC" : " ASC";
        String order = " ORDER BY " + sortColumn + dir + ", uuid" + dir;
        String sql = deferred
                ? "SELECT " + columns + " FROM " + table + " WHERE uuid IN (SELECT uuid FROM " + table + where + order
                        + " LIMIT :_limit OFFSET :_offset)" + order
                : "SELECT " + columns + " FROM " + table + where + order + " LIMIT :_limit OFFSET :_offset";
        var select = h.createQuery(sql);
        binds.forEach(select::bind);
        select.bind("_limit", q.limit()).bind("_offset", q.offset());
        return select.map(mapper).list();
    }

    private long total(Handle h, String where) {
        if (exactTotal != null) return exactTotal.applyAsLong(h);
        var count = h.createQuery("SELECT count(*) FROM " + table + where);
        binds.forEach(count::bind);
        return count.mapTo(Long.class).one();
    }

    private String next() {
        return "_p" + (counter++);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
