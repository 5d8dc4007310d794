package dev.galley.server.metering;

import dev.galley.server.db.ListSql;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** SQL for {@code run_meters}: what the closer claims, and how it advances them. */
public final class MeterRepository {
    /** A meter and what metering needs of its run ({@code r}) and node ({@code n}). */
    private static final String COLUMNS = """
            m.job_run_uuid, m.started_at, m.metered_until, m.price_per_hour, m.gpu_name, m.gpu_count,
            r.job_uuid, r.account_uuid, r.node_uuid, COALESCE(r.node_account_uuid, n.account_uuid) AS provider,
            r.is_active, r.completed_at, r.status_reason_code, r.cpu_count, r.ram_gb, r.storage_gb, r.gpu_devices,
            n.last_seen_at""";

    /** One GPU of a node: its model and name. */
    public record NodeGpu(UUID gpuModel, String name) {}

    /** A meter's new state after a close. */
    public record Advance(UUID jobRunUuid, Instant meteredUntil, boolean closed, BigDecimal pricePerHour, String gpuName, int gpuCount) {}

    /**
     * Claims up to {@code limit} meters with something to close: runs that ended, and runs whose next cut is over and
     * vouched for by a heartbeat. {@code FOR UPDATE OF m SKIP LOCKED}: replicas claim disjoint meters and never wait
     * for each other; only meter rows are locked, never the runs nodes update.
     */
    public List<MeterRow> claim(Handle h, Instant now, Duration period, int limit) {
        return h.createQuery("SELECT " + COLUMNS + """

                FROM run_meters m
                JOIN job_runs r ON r.uuid = m.job_run_uuid
                JOIN nodes n ON n.uuid = r.node_uuid
                WHERE (NOT r.is_active OR m.metered_until + make_interval(secs => :period) <= LEAST(:now, n.last_seen_at))
                ORDER BY m.metered_until
                LIMIT :limit
                FOR UPDATE OF m SKIP LOCKED""")
                .bind("now", now).bind("period", (double) period.getSeconds()).bind("limit", limit)
                .map(MeterRepository::map).list();
    }

    /** The GPUs of these nodes by (node, device index). */
    public Map<UUID, Map<Integer, NodeGpu>> gpusOf(Handle h, Collection<UUID> nodes) {
        Map<UUID, Map<Integer, NodeGpu>> out = new HashMap<>();
        h.createQuery("SELECT node_uuid, device_index, gpu_uuid, name FROM node_gpus WHERE node_uuid = ANY(:nodes)")
                .bind("nodes", nodes.toArray(UUID[]::new))
                .map((rs, ctx) -> out.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                        .put(rs.getInt(2), new NodeGpu(rs.getObject(3, UUID.class), rs.getString(4))))
                .list();
        return out;
    }

    /**
     * Advances claimed meters (in the claiming transaction); a meter whose run is fully metered is deleted: nothing of
     * that run is left to meter, and a run without a meter is never metered again.
     */
    public void advance(Handle h, List<Advance> advances) {
        List<UUID> done = advances.stream().filter(Advance::closed).map(Advance::jobRunUuid).toList();
        List<Advance> open = advances.stream().filter(a -> !a.closed()).toList();
        if (!done.isEmpty()) {
            h.createUpdate("DELETE FROM run_meters WHERE job_run_uuid = ANY(:ids)").bind("ids", done.toArray(UUID[]::new)).execute();
        }
        if (open.isEmpty()) return;
        int n = open.size();
        UUID[] id = new UUID[n];
        String[] until = new String[n], price = new String[n], gpuName = new String[n];
        Integer[] gpuCount = new Integer[n];
        for (int i = 0; i < n; i++) {
            Advance a = open.get(i);
            id[i] = a.jobRunUuid(); until[i] = a.meteredUntil().toString(); price[i] = a.pricePerHour().toPlainString();
            gpuName[i] = a.gpuName(); gpuCount[i] = a.gpuCount();
        }
        h.createUpdate("""
                UPDATE run_meters m SET metered_until = u.until, price_per_hour = u.price, gpu_name = u.gpu_name, gpu_count = u.gpu_count
                FROM unnest(CAST(:id AS uuid[]), CAST(:until AS timestamptz[]), CAST(:price AS numeric[]), CAST(:gpuName AS text[]),
                            CAST(:gpuCount AS int[])) AS u(id, until, price, gpu_name, gpu_count)
                WHERE m.job_run_uuid = u.id""")
                .bind("id", id).bind("until", until).bind("price", price).bind("gpuName", gpuName).bind("gpuCount", gpuCount)
                .execute();
    }

    /** The meters of these jobs' runs still being metered, with what {@code cost_so_far} needs (no lock). */
    public List<MeterRow> openOfJobs(Handle h, UUID[] jobs) {
        return h.createQuery("SELECT " + COLUMNS + """

                FROM job_runs r
                JOIN run_meters m ON m.job_run_uuid = r.uuid
                JOIN nodes n ON n.uuid = r.node_uuid
                WHERE r.job_uuid = ANY(:jobs)""")
                .bind("jobs", jobs).map(MeterRepository::map).list();
    }

    static MeterRow map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new MeterRow(rs.getObject("job_run_uuid", UUID.class), ListSql.instant(rs, "started_at"),
                ListSql.instant(rs, "metered_until"), rs.getBigDecimal("price_per_hour"), rs.getString("gpu_name"),
                (Integer) rs.getObject("gpu_count"), rs.getObject("job_uuid", UUID.class), rs.getObject("account_uuid", UUID.class),
                rs.getObject("node_uuid", UUID.class), rs.getObject("provider", UUID.class), rs.getBoolean("is_active"),
                ListSql.instant(rs, "completed_at"), rs.getString("status_reason_code"), rs.getInt("cpu_count"),
                rs.getDouble("ram_gb"), rs.getDouble("storage_gb"), Arrays.asList((Integer[]) rs.getArray("gpu_devices").getArray()),
                ListSql.instant(rs, "last_seen_at"));
    }
}
