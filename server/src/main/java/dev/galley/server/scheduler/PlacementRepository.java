package dev.galley.server.scheduler;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.placement.GpuDevice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL the scheduler reads placement's inputs with, and the locks under which a plan is applied. */
public final class PlacementRepository {
    /** A node as placement reads it: its reported capacity and GPUs (what its runs hold comes from the runs). */
    public record NodeRow(UUID uuid, UUID accountUuid, String regionCode, NodeStatus status, int cpuCores, double ramGb,
                          double storageGb, List<GpuDevice> gpus, double reputation) {}

    /**
     * A job waiting for placement, with only the spec fields placement needs ({@code placementSpec}, JSON).
     *
     * @param nodeCount        null before the first placement
     * @param statusReasonCode why the job says it waits now (rewritten only when a round finds another reason)
     */
    public record WaitingJobRow(UUID uuid, UUID accountUuid, long createdAtMs, String placementSpec, Integer nodeCount,
                                String statusReason, ReasonCode statusReasonCode) {}

    /** The jobs a round may place: waiting for a node, and neither being cancelled nor past their assign deadline. */
    private static final String PLACEABLE = "j.wants_placement AND NOT j.cancel_requested AND NOT j.assign_timed_out";

    /** Nodes in any of {@code statuses} (a round's snapshot), with their GPUs. */
    public List<NodeRow> nodesIn(Handle h, Set<NodeStatus> statuses) {
        String[] names = statuses.stream().map(NodeStatus::name).toArray(String[]::new);
        return nodes(h, "n.status = ANY(:statuses)", q -> q.bind("statuses", names));
    }

    /** The nodes of {@code uuids} whatever their status (a missing one was deleted), with their GPUs. */
    public List<NodeRow> nodes(Handle h, Collection<UUID> uuids) {
        if (uuids.isEmpty()) return List.of();
        UUID[] ids = uuids.toArray(UUID[]::new);
        return nodes(h, "n.uuid = ANY(:ids)", q -> q.bind("ids", ids));
    }

    private List<NodeRow> nodes(Handle h, String where, java.util.function.Consumer<Query> bind) {
        Map<UUID, List<GpuDevice>> gpus = new HashMap<>();
        Query gpuQuery = h.createQuery("""
                SELECT g.node_uuid, g.device_index, g.gpu_uuid, g.name, g.vram_gb
                FROM node_gpus g JOIN nodes n ON n.uuid = g.node_uuid WHERE\s""" + where);
        bind.accept(gpuQuery);
        gpuQuery.map((rs, c) -> gpus.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                .add(new GpuDevice(rs.getInt(2), rs.getString(4), rs.getObject(3, UUID.class), rs.getDouble(5)))).list();
        Query nodeQuery = h.createQuery("""
                SELECT n.uuid, n.account_uuid, n.region_code, n.status, n.cpu_cores, n.ram_gb, n.storage_gb, n.reputation
                FROM nodes n WHERE\s""" + where);
        bind.accept(nodeQuery);
        return nodeQuery.map((rs, c) -> {
            UUID uuid = rs.getObject(1, UUID.class);
            return new NodeRow(uuid, rs.getObject(2, UUID.class), rs.getString(3), NodeStatus.valueOf(rs.getString(4)),
                    rs.getInt(5), rs.getDouble(6), rs.getDouble(7), gpus.getOrDefault(uuid, List.of()), rs.getDouble(8));
        }).list();
    }

    /**
     * The uuids of every placeable job, oldest first, except those {@code skip} rejects, at most {@code limit}.
     * Jobs known not to fit are dropped here, not in SQL: an anti-join against a bound array of tens of thousands
     * of uuids is planned for 10 rows (a nested loop, quadratic), and {@code <> ALL(array)} scans the array per row.
     */
    public UUID[] placeableJobUuids(Handle h, Predicate<UUID> skip, int limit) {
        return h.createQuery("SELECT j.uuid FROM jobs j WHERE " + PLACEABLE + " ORDER BY j.created_at, j.uuid")
                .mapTo(UUID.class).stream().filter(skip.negate()).limit(limit).toArray(UUID[]::new);
    }

    /** The oldest placeable jobs, at most {@code limit}, oldest first. */
    public List<WaitingJobRow> oldestPlaceableJobs(Handle h, int limit) {
        return h.createQuery(WAITING_JOBS + PLACEABLE + " ORDER BY j.created_at, j.uuid LIMIT :limit")
                .bind("limit", limit).map(PlacementRepository::waitingJob).list();
    }

    /**
     * Those of {@code uuids} that are placeable, in no particular order: an ORDER BY here lets a generic plan walk
     * the whole created_at index of waiting jobs instead of looking each chosen one up by its key.
     */
    public List<WaitingJobRow> placeableJobs(Handle h, UUID[] uuids) {
        if (uuids.length == 0) return List.of();
        return h.createQuery(WAITING_JOBS + "j.uuid = ANY(:chosen) AND " + PLACEABLE)
                .bind("chosen", uuids).map(PlacementRepository::waitingJob).list();
    }

    // Only the fields placement needs are extracted in SQL: parsing whole specs (env, volumes…) of thousands of
    // waiting jobs each round dominated the scheduler's CPU.
    private static final String WAITING_JOBS = """
            SELECT j.uuid, j.account_uuid, j.created_at,
                   jsonb_build_object('cpu_count', spec->'cpu_count', 'gpu_count', spec->'gpu_count',
                       'gpu_name', spec->'gpu_name', 'gpu_registry_uuid', spec->'gpu_registry_uuid',
                       'min_vram_gb', spec->'min_vram_gb', 'min_ram_gb', spec->'min_ram_gb',
                       'min_storage_gb', spec->'min_storage_gb', 'allowed_region_codes', spec->'allowed_region_codes',
                       'max_node_count', spec->'max_node_count', 'max_retry_count', spec->'max_retry_count',
                       'max_timeout_start_ms', spec->'max_timeout_start_ms')::text,
                   j.node_count, j.status_reason, j.status_reason_code
            FROM jobs j WHERE\s""";

    private static WaitingJobRow waitingJob(ResultSet rs, org.jdbi.v3.core.statement.StatementContext c) throws SQLException {
        return new WaitingJobRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getTimestamp(3).getTime(),
                rs.getString(4), rs.getObject(5, Integer.class), rs.getString(6), ReasonCode.fromStored(rs.getString(7)));
    }

    /**
     * Takes the plan-apply lock for the rest of the transaction: one transaction-scoped advisory lock, so the
     * appliers of all replicas take turns (as Nomad's leader applies plans one at a time).
     */
    public void takeApplyLock(Handle h) {
        h.execute("SELECT pg_advisory_xact_lock(?)", APPLY_LOCK);
        // The job-count trigger sees a round's 10,000 updated rows twice (old and new): with the default 4 MB of
        // work memory those transition tables spill to temporary files.
        h.execute("SET LOCAL work_mem = '64MB'");
    }

    /** Any constant shared by every replica; names the plan-apply lock. */
    private static final long APPLY_LOCK = 0x6a11e7_a991L;

    /**
     * Locks those of {@code jobs} that are still placeable and returns them. SKIP LOCKED: a job another
     * transaction holds (being cancelled, say) is left for a later round rather than waited for.
     */
    public Set<UUID> lockPlaceableJobs(Handle h, Collection<UUID> jobs) {
        return new HashSet<>(h.createQuery("SELECT j.uuid FROM jobs j WHERE j.uuid = ANY(:ids) AND " + PLACEABLE
                        + " FOR UPDATE SKIP LOCKED")
                .bind("ids", jobs.toArray(UUID[]::new)).mapTo(UUID.class).list());
    }
}
