package dev.galley.server.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.lifecycle.JobFacts;
import dev.galley.core.lifecycle.JobStatusRule;
import dev.galley.core.lifecycle.JobVerdict;
import dev.galley.core.placement.GpuDevice;
import dev.galley.core.placement.HeldResources;
import dev.galley.core.placement.NodeSnapshot;
import dev.galley.core.placement.PendingJob;
import dev.galley.core.placement.RetrySlot;
import dev.galley.core.placement.RunRequirements;
import dev.galley.core.placement.RoundMemory;
import dev.galley.core.placement.RunSlots;
import dev.galley.server.http.Json;
import dev.galley.server.runs.JobReconciler;
import dev.galley.server.runs.RunRepository;
import dev.galley.server.runs.RunRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Reads what placement needs — ONLINE nodes with what their runs hold, and the oldest waiting jobs — in a few queries. */
public final class SnapshotLoader {
    private final RunRepository runs;

    public SnapshotLoader(RunRepository runs) {
        this.runs = runs;
    }

    /** A waiting job with what the applier needs to turn a placement into runs. */
    /** {@code reason} and {@code reasonCode}: what the job says now about why it waits (rewritten only when that changes). */
    public record Waiting(PendingJob job, UUID accountUuid, long maxTimeoutStartMs, String reason, String reasonCode) {}

    public record Snapshot(List<NodeSnapshot> nodes, Map<UUID, UUID> nodeAccounts, List<Waiting> waiting) {}

    public Snapshot load(Handle h, GpuCatalog catalog, int maxJobs) {
        return load(h, catalog, maxJobs, nodes -> new RoundMemory.JobWindow(Set.of(), null));
    }

    /**
     * @param windowFor given the loaded nodes, which waiting jobs to load: only some (just created), or all but
     *                  those known not to fit this very cluster state
     */
    public Snapshot load(Handle h, GpuCatalog catalog, int maxJobs, java.util.function.Function<List<NodeSnapshot>, RoundMemory.JobWindow> windowFor) {
        Map<UUID, List<GpuDevice>> gpus = new HashMap<>();
        h.createQuery("""
                SELECT g.node_uuid, g.device_index, g.gpu_uuid, g.name, g.vram_gb
                FROM node_gpus g JOIN nodes n ON n.uuid = g.node_uuid WHERE n.status = 'ONLINE'""")
                .map((rs, c) -> {
                    gpus.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new GpuDevice(rs.getInt(2), rs.getString(4), rs.getObject(3, UUID.class), rs.getDouble(5)));
                    return 0;
                }).list();
        Map<UUID, HeldResources> held = runs.heldByNode(h, null);
        Map<UUID, UUID> accounts = new HashMap<>();
        List<NodeSnapshot> nodes = h.createQuery("""
                SELECT uuid, account_uuid, region_code, cpu_cores, ram_gb, storage_gb FROM nodes WHERE status = 'ONLINE'""")
                .map((rs, c) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    accounts.put(id, rs.getObject(2, UUID.class));
                    return new NodeSnapshot(id, rs.getString(3), true, rs.getInt(4), rs.getDouble(5), rs.getDouble(6),
                            gpus.getOrDefault(id, List.of()), held.getOrDefault(id, HeldResources.NONE));
                }).list();

        return new Snapshot(nodes, accounts, jobs(h, catalog, maxJobs, windowFor.apply(nodes)));
    }

    /** The waiting jobs of a window, oldest first, at most {@code maxJobs}. */
    public List<Waiting> jobs(Handle h, GpuCatalog catalog, int maxJobs, RoundMemory.JobWindow window) {
        List<Waiting> waiting = new ArrayList<>();
        Set<UUID> skip = window.skip();
        String which = "j.wants_placement AND NOT j.cancel_requested AND NOT j.assign_timed_out";
        UUID[] chosen = null;
        if (window.incremental()) {
            if (window.only().isEmpty()) return waiting;
            chosen = window.only().toArray(UUID[]::new);
        } else if (!skip.isEmpty()) {
            // Jobs known not to fit are dropped here, not in SQL: an anti-join against a bound array of tens of
            // thousands of uuids is planned for 10 (a nested loop, quadratic), and `<> ALL(array)` scans the array per row.
            chosen = h.createQuery("SELECT j.uuid FROM jobs j WHERE " + which + " ORDER BY j.created_at, j.uuid")
                    .mapTo(UUID.class).stream()
                    .filter(u -> !skip.contains(u)).limit(maxJobs).toArray(UUID[]::new);
            if (chosen.length == 0) return waiting;
        }
        // With chosen jobs the order is restored below: an ORDER BY here lets a generic plan walk the whole
        // created_at index of waiting jobs instead of looking each chosen one up by its key.
        String order = " ORDER BY j.created_at, j.uuid LIMIT :limit";
        if (chosen != null) {
            which = "j.uuid = ANY(:chosen) AND " + which;
            order = "";
        }
        // Only the fields placement needs are extracted in SQL: parsing whole specs (env, volumes…) of
        // thousands of waiting jobs each round dominated the scheduler's CPU.
        var query = h.createQuery("""
                SELECT j.uuid, j.account_uuid, j.created_at,
                       jsonb_build_object('cpu_count', spec->'cpu_count', 'gpu_count', spec->'gpu_count',
                           'gpu_name', spec->'gpu_name', 'gpu_registry_uuid', spec->'gpu_registry_uuid',
                           'min_vram_gb', spec->'min_vram_gb', 'min_ram_gb', spec->'min_ram_gb',
                           'min_storage_gb', spec->'min_storage_gb', 'allowed_region_codes', spec->'allowed_region_codes',
                           'max_node_count', spec->'max_node_count', 'max_retry_count', spec->'max_retry_count',
                           'max_timeout_start_ms', spec->'max_timeout_start_ms')::text,
                       j.node_count, j.status_reason, j.status_reason_code
                FROM jobs j WHERE\s""" + which + order);
        if (chosen != null) query.bind("chosen", chosen);
        else query.bind("limit", maxJobs);
        List<Object[]> rows = new ArrayList<>(query.map((rs, c) -> new Object[]{rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getTimestamp(3).getTime(), rs.getString(4), rs.getObject(5), rs.getString(6), rs.getString(7)}).list());
        if (chosen != null) rows.sort(java.util.Comparator.comparingLong((Object[] r) -> (Long) r[2]).thenComparing(r -> (UUID) r[0]));
        for (Object[] r : rows) {
            UUID jobUuid = (UUID) r[0];
            JsonNode spec = Json.read((String) r[3]);
            RunRequirements req = RunRequirements.ofSpec(spec, catalog);
            RunSlots slots;
            if (r[4] == null) {
                slots = new RunSlots.FirstPlacement(spec.path("max_node_count").asInt(1));
            } else {
                int nodeCount = (Integer) r[4];
                List<RunRow> jobRuns = runs.ofJob(h, jobUuid);
                JobVerdict v = JobStatusRule.derive(new JobFacts(false, false, nodeCount,
                        spec.path("max_retry_count").asInt(0), jobRuns.stream().map(JobReconciler::record).toList()));
                if (v.retries().isEmpty()) continue;
                Set<UUID> running = new LinkedHashSet<>();
                jobRuns.stream().filter(RunRow::active).forEach(x -> running.add(x.nodeUuid()));
                slots = new RunSlots.Retries(nodeCount, v.retries().stream().map(RetrySlot::of).toList(), running);
            }
            waiting.add(new Waiting(new PendingJob(jobUuid, (Long) r[2], req, slots), (UUID) r[1],
                    spec.path("max_timeout_start_ms").asLong(300_000), (String) r[5], (String) r[6]));
        }
        return waiting;
    }
}
