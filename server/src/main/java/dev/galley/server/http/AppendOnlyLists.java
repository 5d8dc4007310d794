package dev.galley.server.http;

import dev.galley.core.list.ListQuery;

/** Lists of append-only rows (prices, usage records, ledger transactions): their rows are never updated. */
public final class AppendOnlyLists {
    private AppendOnlyLists() {}

    /** Sorting by {@code updated_at} is a 400: these rows have no such field, and silently sorting by another would mislead. */
    public static ListQuery requireCreatedAtSort(ListQuery q, String what) {
        if (q.sortField() != ListQuery.SortField.CREATED_AT) {
            throw ApiException.badRequest("sort", "must be created_at or -created_at: " + what + " are never updated");
        }
        return q;
    }
}
