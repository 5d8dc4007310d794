package dev.galley.server.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/** SQL for jobs and their kept counts per account and status. */
public final class JobRepository {
    static final String COLUMNS = """
            uuid, account_uuid, status, status_reason, status_reason_code, spec, secrets, source_recipe_uuid,
            container_access_token, timeout_assign_at_ms, image_size_bytes, node_count, cancel_reason,
            created_at, updated_at, started_at, completed_at""";
    private static final RowMapper<JobRow> ROW = ConstructorMapper.of(JobRow.class);

    /**
     * Inserts the jobs as one JDBC batch, which the driver (reWriteBatchedInserts) sends as multi-row INSERTs:
     * one statement, and one firing of the job-count trigger, for many jobs.
     */
    public void insertAll(Handle h, List<JobRow> rows) {
        if (rows.isEmpty()) return;
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO jobs (uuid, account_uuid, status, status_reason, status_reason_code, title, task,
                                  cpu_count, gpu_count, min_ram_gb, min_vram_gb, min_storage_gb, spec, secrets,
                                  source_recipe_uuid, container_access_token, timeout_assign_at_ms,
                                  created_at, updated_at)
                VALUES (:uuid, :account, :status, :reason, :code, :title, :task, :cpu, :gpu, :ram, :vram, :storage,
                        CAST(:spec AS jsonb), :secrets, :recipe, :token, :assignAt, :created, :created)""");
        for (JobRow j : rows) {
            ObjectNode s = j.spec();
            batch.bind("uuid", j.uuid()).bind("account", j.accountUuid()).bind("status", j.status())
                    .bind("reason", j.statusReason()).bind("code", j.statusReasonCode())
                    .bind("title", s.path("title").asText()).bind("task", s.path("task").asText())
                    .bind("cpu", s.path("cpu_count").asInt()).bind("gpu", s.path("gpu_count").asInt())
                    .bind("ram", s.path("min_ram_gb").asDouble()).bind("vram", s.path("min_vram_gb").asDouble())
                    .bind("storage", s.path("min_storage_gb").asDouble())
                    .bind("spec", Json.text(s)).bind("secrets", j.secrets()).bind("recipe", j.sourceRecipeUuid())
                    .bind("token", j.containerAccessToken()).bind("assignAt", j.timeoutAssignAtMs())
                    .bind("created", j.createdAt())
                    .add();
        }
        batch.execute();
    }

    public Optional<JobRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE uuid = :uuid").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public Optional<JobRow> lockByUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE uuid = :uuid FOR UPDATE").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public ListSql.Page<JobRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("jobs", COLUMNS).deferredJoin();
        // With no filter but status the total comes from the kept counters, not a COUNT over millions of rows.
        if (q.filters().stream().allMatch(f -> f.field().equals("status"))) {
            String[] statuses = q.filter("status", Filter.WordSet.class).map(w -> w.values().toArray(String[]::new)).orElse(null);
            sql.total(handle -> total(handle, accountOrNull, statuses));
        }
        if (accountOrNull != null) sql.where("account_uuid = :account", "account", accountOrNull);
        return sql.filters(q.filters()).run(h, q, ROW);
    }

    /** Exact totals from job_counts + job_count_deltas (see migration V7); null account: all, null statuses: all. */
    private static long total(Handle h, UUID accountOrNull, String[] statusesOrNull) {
        String where = (accountOrNull == null ? "true" : "account_uuid = :a") + (statusesOrNull == null ? "" : " AND status = ANY(:s)");
        var q = h.createQuery("SELECT COALESCE((SELECT sum(n) FROM job_counts WHERE " + where + "), 0)"
                + " + COALESCE((SELECT sum(delta) FROM job_count_deltas WHERE " + where + "), 0)");
        if (accountOrNull != null) q.bind("a", accountOrNull);
        if (statusesOrNull != null) q.bind("s", statusesOrNull);
        return q.mapTo(Long.class).one();
    }

    /** Jobs of every account by status, from the kept counters, never a COUNT over the jobs table. */
    public Map<JobStatus, Long> countByStatus(Handle h) {
        return h.createQuery("""
                SELECT status, sum(n) FROM (SELECT status, n FROM job_counts
                                            UNION ALL SELECT status, delta FROM job_count_deltas) x GROUP BY status""")
                .map((rs, ctx) -> Map.entry(JobStatus.valueOf(rs.getString(1)), rs.getLong(2)))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Folds the count deltas into the totals in one atomic statement; safe with several replicas doing it at once. */
    public int compactCounts(Handle h) {
        return h.createUpdate("""
                WITH moved AS (DELETE FROM job_count_deltas RETURNING account_uuid, status, delta)
                INSERT INTO job_counts (account_uuid, status, n)
                SELECT account_uuid, status, sum(delta) FROM moved GROUP BY account_uuid, status
                ON CONFLICT (account_uuid, status) DO UPDATE SET n = job_counts.n + EXCLUDED.n""").execute();
    }

    /** Marks the job cancel-requested; the reconciler then decides what that means for its status. */
    public void requestCancel(Handle h, UUID job, String reason) {
        h.createUpdate("UPDATE jobs SET cancel_requested = true, cancel_reason = :reason WHERE uuid = :uuid")
                .bind("uuid", job).bind("reason", reason).execute();
    }

    /** Appends the caller's cancel reason to the status reason the reconciler wrote. */
    public void appendToStatusReason(Handle h, UUID job, String text) {
        h.createUpdate("UPDATE jobs SET status_reason = status_reason || ': ' || :text WHERE uuid = :uuid")
                .bind("uuid", job).bind("text", text).execute();
    }

    /** The job's max_timeout_run_ms, if it has one. */
    public Optional<Long> runTimeoutMs(Handle h, UUID job) {
        return h.createQuery("SELECT (spec->>'max_timeout_run_ms')::bigint FROM jobs WHERE uuid = :j")
                .bind("j", job).mapTo(Long.class).findOne();
    }

    public void setImageSize(Handle h, UUID job, long bytes) {
        h.createUpdate("UPDATE jobs SET image_size_bytes = :b WHERE uuid = :j").bind("b", bytes).bind("j", job).execute();
    }
}
