package dev.galley.server.jobs;

import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Exact job totals per account and status from job_counts + job_count_deltas (see migration V7). */
public final class JobCounts {
    /** @param accountOrNull null for every account; @param statusesOrNull null for every status */
    public long total(Handle h, UUID accountOrNull, String[] statusesOrNull) {
        String where = (accountOrNull == null ? "true" : "account_uuid = :a") + (statusesOrNull == null ? "" : " AND status = ANY(:s)");
        var q = h.createQuery("SELECT COALESCE((SELECT sum(n) FROM job_counts WHERE " + where + "), 0)"
                + " + COALESCE((SELECT sum(delta) FROM job_count_deltas WHERE " + where + "), 0)");
        if (accountOrNull != null) q.bind("a", accountOrNull);
        if (statusesOrNull != null) q.bind("s", statusesOrNull);
        return q.mapTo(Long.class).one();
    }

    /** Folds the deltas into the totals in one atomic statement; safe with several replicas doing it at once. */
    public int compact(Handle h) {
        return h.createUpdate("""
                WITH moved AS (DELETE FROM job_count_deltas RETURNING account_uuid, status, delta)
                INSERT INTO job_counts (account_uuid, status, n)
                SELECT account_uuid, status, sum(delta) FROM moved GROUP BY account_uuid, status
                ON CONFLICT (account_uuid, status) DO UPDATE SET n = job_counts.n + EXCLUDED.n""").execute();
    }
}
