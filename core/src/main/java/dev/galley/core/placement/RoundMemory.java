package dev.galley.core.placement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a scheduler remembers from one round to the next, so that a backlog of waiting jobs does not cost a
 * full reload and re-plan on every round. Pure: the caller passes the loaded nodes and the time.
 *
 * <ul>
 *   <li>Jobs the last round could not place, with the cluster state it left behind. Free capacity that only
 *       shrank since (by that round's own placements) cannot fit them now either, so while the loaded state
 *       equals that fingerprint they are not loaded again. Any other change (a run ended, a node came or went,
 *       another replica placed) forgets them.</li>
 *   <li>While the state is unchanged, only jobs created since the last round looked need loading (every older
 *       waiting job was just placed or found not to fit). The window reaches 5 s back for jobs whose
 *       transaction committed late, and a full load every 5 s catches the rest (a retry on an unchanged
 *       cluster, another replica's clock).</li>
 * </ul>
 */
public final class RoundMemory {
    static final long FULL_LOAD_EVERY_NANOS = 5_000_000_000L;
    static final long LATE_COMMIT_WINDOW_MS = 5_000;
    static final int MAX_REMEMBERED = 50_000;

    /** Which waiting jobs a round should load: all but {@code skip}, created after {@code createdAfterMs} if set. */
    public record JobWindow(Set<UUID> skip, Long createdAfterMs) {}

    private final Set<UUID> knownUnplaceable = new HashSet<>();
    private int stateAfterLastRound;
    private Long newestSeenMs;
    private long lastFullLoadNanos;

    /** Decides the job window for a round that just loaded {@code nodes} at {@code nowNanos}. */
    public JobWindow window(List<NodeSnapshot> nodes, long nowNanos) {
        boolean unchanged = fingerprint(nodes) == stateAfterLastRound && knownUnplaceable.size() <= MAX_REMEMBERED;
        if (!unchanged) knownUnplaceable.clear();
        boolean incremental = unchanged && newestSeenMs != null && nowNanos - lastFullLoadNanos < FULL_LOAD_EVERY_NANOS;
        if (!incremental) lastFullLoadNanos = nowNanos;
        return new JobWindow(Set.copyOf(knownUnplaceable), incremental ? newestSeenMs - LATE_COMMIT_WINDOW_MS : null);
    }

    /** Records the round: its jobs, its plan, and whether every placement of the plan was committed. */
    public void remember(List<NodeSnapshot> nodes, List<PendingJob> jobs, PlacementPlan plan, boolean fullyApplied) {
        for (PendingJob j : jobs) if (newestSeenMs == null || j.createdAtMs() > newestSeenMs) newestSeenMs = j.createdAtMs();
        plan.unplaced().forEach(u -> knownUnplaceable.add(u.jobUuid()));
        stateAfterLastRound = fullyApplied ? fingerprint(after(nodes, jobs, plan)) : 0;
    }

    /** Order-independent hash of the nodes as placement sees them (capacity, GPUs, what runs hold). */
    static int fingerprint(List<NodeSnapshot> nodes) {
        int h = 17;
        for (NodeSnapshot n : nodes) h += n.hashCode();
        return h == 0 ? 1 : h;
    }

    /** The nodes with the plan's placements added to what they hold. */
    static List<NodeSnapshot> after(List<NodeSnapshot> nodes, List<PendingJob> jobs, PlacementPlan plan) {
        Map<UUID, RunRequirements> requirements = new HashMap<>();
        jobs.forEach(j -> requirements.put(j.jobUuid(), j.requirements()));
        Map<UUID, HeldResources> added = new HashMap<>();
        for (Placement p : plan.placements()) {
            RunRequirements req = requirements.get(p.jobUuid());
            added.merge(p.nodeUuid(), new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(),
                    new HashSet<>(p.gpuDeviceIndexes())), HeldResources::plus);
        }
        if (added.isEmpty()) return nodes;
        return nodes.stream().map(n -> added.containsKey(n.uuid())
                ? new NodeSnapshot(n.uuid(), n.regionCode(), n.schedulable(), n.cpuCores(), n.ramGb(), n.storageGb(), n.gpus(),
                        n.held().plus(added.get(n.uuid())))
                : n).toList();
    }
}
