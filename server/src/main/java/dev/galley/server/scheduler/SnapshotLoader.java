package dev.galley.server.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.lifecycle.JobFacts;
import dev.galley.core.lifecycle.JobStatusRule;
import dev.galley.core.lifecycle.JobVerdict;
import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.placement.HeldResources;
import dev.galley.core.placement.NodeSnapshot;
import dev.galley.core.placement.PendingJob;
import dev.galley.core.placement.RetrySlot;
import dev.galley.core.placement.RoundMemory;
import dev.galley.core.placement.RunRequirements;
import dev.galley.core.placement.RunSlots;
import dev.galley.server.http.Json;
import dev.galley.server.lifecycle.JobReconciler;
import dev.galley.server.lifecycle.RunRepository;
import dev.galley.server.lifecycle.RunRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what placement needs — the nodes with what their runs hold, and the oldest waiting jobs — in a few
 * queries, whatever the number of nodes and jobs.
 */
public final class SnapshotLoader {
    private static final Logger log = LoggerFactory.getLogger(SnapshotLoader.class);
    private final PlacementRepository placement;
    private final RunRepository runs;

    public SnapshotLoader(PlacementRepository placement, RunRepository runs) {
        this.placement = placement;
        this.runs = runs;
    }

    /**
     * A waiting job with what the applier needs to turn a placement into runs. {@code reason} and
     * {@code reasonCode}: what the job says now about why it waits (rewritten only when that changes).
     */
    public record Waiting(PendingJob job, UUID accountUuid, long maxTimeoutStartMs, String reason, ReasonCode reasonCode) {}

    /** Node snapshots with the account of each node (its runs are billed to it). */
    public record Nodes(List<NodeSnapshot> snapshots, Map<UUID, UUID> accounts) {}

    public record Snapshot(Nodes nodes, List<Waiting> waiting) {}

    public Snapshot load(Handle h, GpuCatalog catalog, int maxJobs) {
        return load(h, catalog, maxJobs, nodes -> new RoundMemory.JobWindow(Set.of(), null));
    }

    /**
     * @param windowFor given the loaded nodes, which waiting jobs to load: only some (just created), or all but
     *                  those known not to fit this very cluster state
     */
    public Snapshot load(Handle h, GpuCatalog catalog, int maxJobs, Function<List<NodeSnapshot>, RoundMemory.JobWindow> windowFor) {
        Nodes nodes = nodes(placement.nodesIn(h, NodeSnapshot.PLACEMENT_SEES), runs.heldByNode(h, null));
        return new Snapshot(nodes, jobs(h, catalog, maxJobs, windowFor.apply(nodes.snapshots())));
    }

    /** The nodes of {@code uuids} as they are now, whatever their status; a deleted one is missing. */
    public Nodes freshNodes(Handle h, Collection<UUID> uuids) {
        if (uuids.isEmpty()) return new Nodes(List.of(), Map.of());
        return nodes(placement.nodes(h, uuids), runs.heldByNode(h, uuids.toArray(UUID[]::new)));
    }

    private static Nodes nodes(List<PlacementRepository.NodeRow> rows, Map<UUID, HeldResources> held) {
        var snapshots = new ArrayList<NodeSnapshot>(rows.size());
        var accounts = new HashMap<UUID, UUID>(rows.size() * 2);
        for (PlacementRepository.NodeRow n : rows) {
            snapshots.add(new NodeSnapshot(n.uuid(), n.regionCode(), n.status(), n.cpuCores(), n.ramGb(), n.storageGb(),
                    n.gpus(), held.getOrDefault(n.uuid(), HeldResources.NONE), n.reputation()));
            accounts.put(n.uuid(), n.accountUuid());
        }
        return new Nodes(snapshots, accounts);
    }

    /** The waiting jobs of a window, oldest first, at most {@code maxJobs}. */
    public List<Waiting> jobs(Handle h, GpuCatalog catalog, int maxJobs, RoundMemory.JobWindow window) {
        List<PlacementRepository.WaitingJobRow> rows;
        if (window.incremental()) {
            rows = placement.placeableJobs(h, window.only().toArray(UUID[]::new));
        } else if (!window.skip().isEmpty()) {
            rows = placement.placeableJobs(h, placement.placeableJobUuids(h, window.skip()::contains, maxJobs));
        } else {
            rows = placement.oldestPlaceableJobs(h, maxJobs);
        }
        rows = rows.stream().sorted(Comparator.comparingLong(PlacementRepository.WaitingJobRow::createdAtMs)
                .thenComparing(PlacementRepository.WaitingJobRow::uuid)).toList();

        // Jobs that were placed before wait for retries: their runs say which node indexes, in one query for all.
        List<UUID> retried = rows.stream().filter(r -> r.nodeCount() != null).map(PlacementRepository.WaitingJobRow::uuid).toList();
        Map<UUID, List<RunRow>> runsOfRetried = runs.ofJobs(h, retried);

        List<Waiting> waiting = new ArrayList<>(rows.size());
        for (PlacementRepository.WaitingJobRow row : rows) {
            try {
                JsonNode spec = Json.read(row.placementSpec());
                RunSlots slots = row.nodeCount() == null
                        ? new RunSlots.FirstPlacement(spec.path("max_node_count").asInt(1))
                        : retrySlots(row.nodeCount(), spec.path("max_retry_count").asInt(0), runsOfRetried.getOrDefault(row.uuid(), List.of()));
                if (slots == null) continue;
                waiting.add(new Waiting(new PendingJob(row.uuid(), row.createdAtMs(), RunRequirements.ofSpec(spec, catalog), slots),
                        row.accountUuid(), spec.path("max_timeout_start_ms").asLong(300_000), row.statusReason(), row.statusReasonCode()));
            } catch (RuntimeException unreadable) {
                // One job the round cannot read (a row edited by hand, a spec a newer release wrote) must not stop
                // every other job from being placed: it is left out, and its assign deadline fails it in time.
                if (reportedUnreadable.size() < 10_000 && reportedUnreadable.add(row.uuid())) {
                    log.error("job {} is left out of placement: its stored spec cannot be read ({})", row.uuid(), unreadable.toString());
                }
            }
        }
        return waiting;
    }

    /** Jobs already logged as unreadable, so a round every few milliseconds does not repeat the line. */
    private final Set<UUID> reportedUnreadable = ConcurrentHashMap.newKeySet();

    /** The node indexes the lifecycle rule says need a new run; null when none does (any more). */
    private static RunSlots retrySlots(int nodeCount, int maxRetryCount, List<RunRow> jobRuns) {
        JobVerdict v = JobStatusRule.derive(new JobFacts(false, false, nodeCount, maxRetryCount,
                jobRuns.stream().map(JobReconciler::record).toList()));
        if (v.retries().isEmpty()) return null;
        Set<UUID> running = new LinkedHashSet<>();
        jobRuns.stream().filter(RunRow::active).forEach(r -> running.add(r.nodeUuid()));
        return new RunSlots.Retries(nodeCount, v.retries().stream().map(RetrySlot::of).toList(), running);
    }
}
