package dev.galley.server.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.Deadline;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.core.list.ListQuery;
import dev.galley.core.placement.HeldResources;
import dev.galley.server.db.ListSql;
import dev.galley.server.http.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** SQL for job_runs and their logs. */
public final class RunRepository {
    static final String COLUMNS = """
            uuid, job_uuid, account_uuid, node_uuid, node_account_uuid, node_index, attempt, status, status_reason,
            status_reason_code, exit_code, cpu_count, ram_gb, storage_gb, gpu_devices, node_urls, is_active AS active,
            stop_requested, created_at, updated_at, assigned_at, started_at, completed_at, log_bytes, log_start_offset""";
    private static final RowMapper<RunRow> ROW = ConstructorMapper.of(RunRow.class);

    /** A new run as the plan applier inserts it. */
    public record NewRun(UUID uuid, UUID jobUuid, UUID accountUuid, UUID nodeUuid, UUID nodeAccountUuid, int nodeIndex,
                         int attempt, int cpuCount, double ramGb, double storageGb, List<Integer> gpuDevices,
                         long startDeadlineMs) {}

    /** Inserts many runs in one statement (arrays unnested server-side: one round trip, one plan). */
    public void insertAll(Handle h, List<NewRun> runs, Instant now) {
        if (runs.isEmpty()) return;
        int n = runs.size();
        UUID[] uuid = new UUID[n], job = new UUID[n], account = new UUID[n], node = new UUID[n], nodeAccount = new UUID[n];
        Integer[] idx = new Integer[n], attempt = new Integer[n], cpu = new Integer[n];
        Double[] ram = new Double[n], storage = new Double[n];
        Long[] deadline = new Long[n];
        String[] gpus = new String[n];
        for (int i = 0; i < n; i++) {
            NewRun r = runs.get(i);
            uuid[i] = r.uuid(); job[i] = r.jobUuid(); account[i] = r.accountUuid(); node[i] = r.nodeUuid();
            nodeAccount[i] = r.nodeAccountUuid(); idx[i] = r.nodeIndex(); attempt[i] = r.attempt(); cpu[i] = r.cpuCount();
            ram[i] = r.ramGb(); storage[i] = r.storageGb(); deadline[i] = r.startDeadlineMs();
            gpus[i] = r.gpuDevices().stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
        }
        h.createUpdate("""
                INSERT INTO job_runs (uuid, job_uuid, account_uuid, node_uuid, node_account_uuid, node_index, attempt, status,
                    cpu_count, ram_gb, storage_gb, gpu_devices, created_at, updated_at, assigned_at, start_deadline_ms)
                SELECT u.uuid, u.job, u.account, u.node, u.node_account, u.idx, u.attempt, :assigned, u.cpu, u.ram, u.storage,
                       CAST(u.gpus AS int[]), :now, :now, :now, u.deadline
                FROM unnest(CAST(:uuid AS uuid[]), CAST(:job AS uuid[]), CAST(:account AS uuid[]), CAST(:node AS uuid[]),
                            CAST(:nodeAccount AS uuid[]), CAST(:idx AS int[]), CAST(:attempt AS int[]), CAST(:cpu AS int[]),
                            CAST(:ram AS float8[]), CAST(:storage AS float8[]), CAST(:gpus AS text[]), CAST(:deadline AS int8[]))
                     AS u(uuid, job, account, node, node_account, idx, attempt, cpu, ram, storage, gpus, deadline)""")
                .bind("uuid", uuid).bind("job", job).bind("account", account).bind("node", node).bind("nodeAccount", nodeAccount)
                .bind("idx", idx).bind("attempt", attempt).bind("cpu", cpu).bind("ram", ram).bind("storage", storage)
                .bind("gpus", gpus).bind("deadline", deadline).bind("now", now).bind("assigned", RunStatus.ASSIGNED)
                .execute();
    }

    public Optional<RunRow> byUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_runs WHERE uuid = :uuid").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public Optional<RunRow> lockByUuid(Handle h, UUID uuid) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_runs WHERE uuid = :uuid FOR UPDATE").bind("uuid", uuid)
                .map(ROW).findOne();
    }

    public List<RunRow> ofJob(Handle h, UUID job) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_runs WHERE job_uuid = :job ORDER BY node_index, attempt")
                .bind("job", job).map(ROW).list();
    }

    /** Every run of each of {@code jobs}, by job, each job's in node index and attempt order (one query for many jobs). */
    public Map<UUID, List<RunRow>> ofJobs(Handle h, Collection<UUID> jobs) {
        var byJob = new HashMap<UUID, List<RunRow>>();
        if (jobs.isEmpty()) return byJob;
        h.createQuery("SELECT " + COLUMNS + " FROM job_runs WHERE job_uuid = ANY(:jobs) ORDER BY job_uuid, node_index, attempt")
                .bind("jobs", jobs.toArray(UUID[]::new)).map(ROW)
                .forEach(r -> byJob.computeIfAbsent(r.jobUuid(), k -> new ArrayList<>()).add(r));
        return byJob;
    }

    /** Runs waiting for this node to pick them up (ASSIGNED: at-least-once until the node says PREPARING). */
    public List<RunRow> assignedTo(Handle h, UUID node) {
        return h.createQuery("SELECT " + COLUMNS + " FROM job_runs WHERE node_uuid = :node AND is_active AND status = :assigned ORDER BY created_at")
                .bind("node", node).bind("assigned", RunStatus.ASSIGNED).map(ROW).list();
    }

    /** Applies a status change reported by a node or decided by the server; null fields keep their stored values. */
    public void update(Handle h, UUID uuid, RunStatus status, String reason, ReasonCode code, Integer exitCode, JsonNode nodeUrls,
                       Instant now, Long runDeadlineMs) {
        h.createUpdate("""
                UPDATE job_runs SET status = :status,
                    status_reason = COALESCE(:reason, status_reason),
                    status_reason_code = COALESCE(:code, status_reason_code),
                    exit_code = COALESCE(:exit, exit_code),
                    node_urls = COALESCE(CAST(:urls AS jsonb), node_urls),
                    preparing_at = CASE WHEN :preparing AND preparing_at IS NULL THEN :now ELSE preparing_at END,
                    started_at = CASE WHEN :running AND started_at IS NULL THEN :now ELSE started_at END,
                    run_deadline_ms = CASE WHEN :running AND started_at IS NULL THEN :runDeadline ELSE run_deadline_ms END,
                    completed_at = CASE WHEN :fin THEN :now ELSE completed_at END,
                    is_active = NOT :fin,
                    updated_at = :now
                WHERE uuid = :uuid""")
                .bind("uuid", uuid).bind("status", status).bind("reason", reason).bind("code", code).bind("exit", exitCode)
                .bind("urls", nodeUrls == null ? null : Json.text(nodeUrls)).bind("now", now).bind("fin", status.isFinal())
                .bind("running", status == RunStatus.RUNNING).bind("preparing", status == RunStatus.PREPARING)
                .bind("runDeadline", runDeadlineMs).execute();
    }

    public void requestStop(Handle h, List<UUID> runs, Instant now) {
        if (runs.isEmpty()) return;
        h.createUpdate("UPDATE job_runs SET stop_requested = true, updated_at = :now WHERE uuid = ANY(:runs) AND is_active AND NOT stop_requested")
                .bind("runs", runs.toArray(UUID[]::new)).bind("now", now).execute();
    }

    /**
     * Runs past {@code deadline} ({@link Deadline#START} or {@code RUN}) while still in a
     * status it applies to, soonest first. The statuses are written into the SQL as literals, from the core rule:
     * only then can PostgreSQL use the partial index on that deadline for every execution.
     */
    public List<UUID> pastDeadline(Handle h, Deadline deadline, long nowMs, int limit) {
        String column = switch (deadline) {
            case START -> "start_deadline_ms";
            case RUN -> "run_deadline_ms";
            case ASSIGN, HEARTBEAT -> throw new IllegalArgumentException(deadline + " is not a deadline of a run row");
        };
        String statuses = deadline.runStatuses().stream().map(s -> "'" + s.name() + "'")
                .collect(Collectors.joining(", ", "(", ")"));
        return h.createQuery("SELECT uuid FROM job_runs WHERE status IN " + statuses + " AND " + column + " <= :now"
                        + " ORDER BY " + column + " LIMIT :limit")
                .bind("now", nowMs).bind("limit", limit).mapTo(UUID.class).list();
    }

    /**
     * What active runs hold per node (CPU, RAM, storage, GPU device indexes), aggregated in the database: a busy
     * node may hold many runs, callers need one entry per node. {@code nodesOrNull} null means every node.
     */
    public Map<UUID, HeldResources> heldByNode(Handle h, UUID[] nodesOrNull) {
        String only = nodesOrNull == null ? "" : " AND r.node_uuid = ANY(:ids)";
        var held = new HashMap<UUID, HeldResources>();
        var q = h.createQuery("""
                SELECT node_uuid, sum(cpu_count), sum(ram_gb), sum(storage_gb),
                       COALESCE(array_agg(d) FILTER (WHERE d IS NOT NULL), '{}')
                FROM (SELECT r.node_uuid, r.cpu_count, r.ram_gb, r.storage_gb, NULL::int AS d FROM job_runs r WHERE r.is_active""" + only + """

                      UNION ALL
                      SELECT r.node_uuid, 0, 0, 0, unnest(r.gpu_devices) FROM job_runs r WHERE r.is_active""" + only + """
                ) x
                GROUP BY node_uuid""");
        if (nodesOrNull != null) q.bind("ids", nodesOrNull);
        q.map((rs, c) -> held.put(rs.getObject(1, UUID.class), new HeldResources(rs.getInt(2),
                rs.getDouble(3), rs.getDouble(4), new HashSet<>(Arrays.asList((Integer[]) rs.getArray(5).getArray())))))
                .list();
        return held;
    }

    /** A run the node must stop, and why (null: no reason stored). */
    public record Stop(UUID uuid, String statusReason, boolean stopRequested) {}

    /**
     * What a heartbeat answers, in one statement: the node's active runs asked to stop, and those of {@code reported}
     * (the runs the agent still runs) that are this node's and no longer active. Only the two columns it needs.
     */
    public List<Stop> stopsFor(Handle h, UUID node, Collection<UUID> reported) {
        return h.createQuery("""
                SELECT uuid, status_reason, true AS stop_requested FROM job_runs WHERE node_uuid = :node AND is_active AND stop_requested
                UNION ALL
                SELECT uuid, status_reason, false FROM job_runs WHERE uuid = ANY(:ids) AND node_uuid = :node AND NOT is_active""")
                .bind("node", node).bind("ids", reported.toArray(UUID[]::new))
                .map((rs, ctx) -> new Stop(rs.getObject(1, UUID.class), rs.getString(2), rs.getBoolean(3))).list();
    }

    public List<UUID> activeOnNodes(Handle h, List<UUID> nodes) {
        return h.createQuery("SELECT uuid FROM job_runs WHERE node_uuid = ANY(:nodes) AND is_active")
                .bind("nodes", nodes.toArray(UUID[]::new)).mapTo(UUID.class).list();
    }

    // --- logs ---------------------------------------------------------------------------------
    // A run's output is addressed by byte offsets into everything it printed (see LogRetention): each chunk
    // stores where it ends; the run stores how much it printed (log_bytes) and where its kept output starts.

    /** A run's output counters: {@code total} bytes printed, kept from offset {@code start}; and whether it is active. */
    public record LogState(long total, long start, boolean active) {}

    private static final String LOG_STATE = "log_bytes AS total, log_start_offset AS start, is_active AS active";
    private static final RowMapper<LogState> LOG_STATE_ROW = ConstructorMapper.of(LogState.class);

    /** A stored chunk of output: bytes {@code [start, end)} of the run's output. */
    public record LogChunk(long start, long end, String text) {}

    /**
     * Appends a chunk of {@code bytes} UTF-8 bytes to an active run, under the run row's lock (appends to one run
     * are serialized, so offsets never collide). Empty, and nothing written, when the run is not active.
     */
    public Optional<LogState> appendLog(Handle h, UUID run, String chunk, long bytes) {
        Optional<LogState> state = h.createQuery("""
                UPDATE job_runs SET log_bytes = log_bytes + :n WHERE uuid = :run AND is_active
                RETURNING\s""" + LOG_STATE)
                .bind("run", run).bind("n", bytes).map(LOG_STATE_ROW).findOne();
        state.ifPresent(s -> h.createUpdate("INSERT INTO job_run_logs (job_run_uuid, end_offset, chunk) VALUES (:run, :end, :chunk)")
                .bind("run", run).bind("end", s.total()).bind("chunk", chunk).execute());
        return state;
    }

    /**
     * Drops the oldest chunks so that the kept output starts at or after {@code target}: every chunk up to and
     * including the first one that ends at or past it (two index range scans). Returns the new start offset.
     */
    public long dropLogBefore(Handle h, UUID run, long target) {
        Long start = h.createQuery("""
                WITH cut AS (SELECT min(end_offset) AS e FROM job_run_logs WHERE job_run_uuid = :run AND end_offset >= :target),
                     gone AS (DELETE FROM job_run_logs WHERE job_run_uuid = :run AND end_offset <= (SELECT e FROM cut)
                              RETURNING end_offset)
                SELECT max(end_offset) FROM gone""")
                .bind("run", run).bind("target", target).mapTo(Long.class).one();
        if (start == null) return target;
        h.createUpdate("UPDATE job_runs SET log_start_offset = :start WHERE uuid = :run AND log_start_offset < :start")
                .bind("run", run).bind("start", start).execute();
        return start;
    }

    public Optional<LogState> logState(Handle h, UUID run) {
        return h.createQuery("SELECT " + LOG_STATE + " FROM job_runs WHERE uuid = :run")
                .bind("run", run).map(LOG_STATE_ROW).findOne();
    }

    /** The newest chunks covering at least the last {@code maxBytes} of {@code total} printed bytes, oldest first. */
    public List<LogChunk> tail(Handle h, UUID run, long total, long maxBytes) {
        return after(h, run, Math.max(0, total - maxBytes), Integer.MAX_VALUE);
    }

    /** Chunks ending after offset {@code from}, oldest first, at most {@code limit}. */
    public List<LogChunk> after(Handle h, UUID run, long from, int limit) {
        return h.createQuery("""
                SELECT end_offset - octet_length(chunk) AS start_offset, end_offset, chunk FROM job_run_logs
                WHERE job_run_uuid = :run AND end_offset > :from ORDER BY end_offset LIMIT :limit""")
                .bind("run", run).bind("from", from).bind("limit", limit)
                .map((rs, ctx) -> new LogChunk(rs.getLong(1), rs.getLong(2), rs.getString(3))).list();
    }

    /** Which runs on an account's nodes a caller of that account lists: all, those of one node, or none. */
    public record NodeSide(UUID node, boolean all) {
        public static final NodeSide ALL_NODES = new NodeSide(null, true);
        public static final NodeSide NONE = new NodeSide(null, false);

        public static NodeSide only(UUID node) {
            return new NodeSide(node, false);
        }
    }

    /** Runs of {@code callerOrNull}'s account (null: every account) and, of its nodes' runs, those {@code nodeSide} allows. */
    public ListSql.Page<RunRow> list(Handle h, UUID callerOrNull, NodeSide nodeSide, ListQuery q) {
        var sql = new ListSql("job_runs", COLUMNS);
        if (callerOrNull != null && nodeSide.all()) {
            sql.where("(account_uuid = :me OR node_account_uuid = :me)", "me", callerOrNull);
        } else if (callerOrNull != null && nodeSide.node() != null) {
            sql.where("(account_uuid = :me OR (node_account_uuid = :me AND node_uuid = :mynode))", "me", callerOrNull);
            sql.bind("mynode", nodeSide.node());
        } else if (callerOrNull != null) {
            sql.where("account_uuid = :me", "me", callerOrNull);
        }
        return sql.filters(q.filters()).run(h, q, ROW);
    }
}
