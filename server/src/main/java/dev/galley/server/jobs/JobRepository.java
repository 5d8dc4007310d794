package dev.galley.server.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.list.Filter;
import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for jobs. */
public final class JobRepository {
    static final String COLUMNS = """
            uuid, account_uuid, status, status_reason, status_reason_code, spec, secrets, source_recipe_uuid,
            container_access_token, timeout_assign_at_ms, image_size_bytes, node_count, cancel_reason,
            created_at, updated_at, started_at, completed_at""";

    public void insert(Handle h, JobRow j) {
        insertAll(h, List.of(j));
    }

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
                .map(JobRepository::map).findOne();
    }

    public Optional<JobRow> lockByUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE uuid = :uuid FOR UPDATE").bind("uuid", uuid)
                .map(JobRepository::map).findOne();
    }

    /** Moves a job to a new status; {@code expectedStatus} guards against a concurrent change. */
    public Optional<JobRow> updateStatus(Handle h, UUID uuid, String expectedStatus, String status, String reason,
                                         String code, Instant now, boolean finished, String cancelReason) {
        return h.createQuery("""
                UPDATE jobs SET status = :status, status_reason = :reason, status_reason_code = :code,
                                updated_at = :now, version = version + 1,
                                completed_at = CASE WHEN :finished THEN :now ELSE completed_at END,
                                timeout_assign_at_ms = CASE WHEN :finished THEN NULL ELSE timeout_assign_at_ms END,
                                cancel_reason = COALESCE(:cancelReason, cancel_reason)
                WHERE uuid = :uuid AND status = :expected""" + " RETURNING " + COLUMNS)
                .bind("uuid", uuid).bind("expected", expectedStatus).bind("status", status).bind("reason", reason)
                .bind("code", code).bind("now", now).bind("finished", finished).bind("cancelReason", cancelReason)
                .map(JobRepository::map).findOne();
    }

    private final JobCounts counts = new JobCounts();

    public ListSql.Page<JobRow> list(Handle h, UUID accountOrNull, ListQuery q) {
        var sql = new ListSql("jobs", COLUMNS).deferredJoin();
        // With no filter but status the total comes from the kept counters, not a COUNT over millions of rows.
        if (q.filters().stream().allMatch(f -> f.field().equals("status"))) {
            String[] statuses = q.filter("status", Filter.WordSet.class).map(w -> w.values().toArray(String[]::new)).orElse(null);
            sql.total(handle -> counts.total(handle, accountOrNull, statuses));
        }
        if (accountOrNull != null) sql.where("account_uuid = :account", "account", accountOrNull);
        for (Filter f : q.filters()) {
            switch (f) {
                case Filter.UuidSet u -> sql.uuidSet(f.field(), u);          // uuid, source_recipe_uuid
                case Filter.WordSet w -> sql.wordSet(f.field(), w);          // status, task
                case Filter.NumberRange r -> sql.numberRange(f.field(), r);  // cpu_count, gpu_count, min_*_gb
                case Filter.DateRange d -> sql.dateRange(f.field(), d);      // created_at
                default -> throw new IllegalStateException("unhandled filter " + f.field());
            }
        }
        return sql.run(h, q, JobRepository::map);
    }

    static JobRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new JobRow(
                rs.getObject("uuid", UUID.class),
                rs.getObject("account_uuid", UUID.class),
                rs.getString("status"),
                rs.getString("status_reason"),
                rs.getString("status_reason_code"),
                (ObjectNode) Json.read(rs.getString("spec")),
                rs.getBytes("secrets"),
                rs.getObject("source_recipe_uuid", UUID.class),
                rs.getString("container_access_token"),
                (Long) rs.getObject("timeout_assign_at_ms"),
                (Long) rs.getObject("image_size_bytes"),
                (Integer) rs.getObject("node_count"),
                rs.getString("cancel_reason"),
                ListSql.instant(rs, "created_at"),
                ListSql.instant(rs, "updated_at"),
                ListSql.instant(rs, "started_at"),
                ListSql.instant(rs, "completed_at"));
    }
}
