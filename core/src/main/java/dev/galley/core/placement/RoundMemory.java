package dev.galley.core.placement;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a scheduler remembers from one round to the next, so that a backlog of waiting jobs does not cost a
 * full reload and re-plan on every round. Pure: the caller passes the loaded nodes, the time and the jobs it
 * knows were just created.
 *
 * <ul>
 *   <li>Jobs the last round could not place, with the cluster state it left behind. Free capacity that only
 *       shrank since (by that round's own placements) cannot fit them now either, so while the loaded state
 *       equals that fingerprint they are not loaded again. Any other change (a run ended, a node came or went,
 *       another replica placed) forgets them.</li>
 *   <li>While the state is unchanged, every older waiting job was just placed or found not to fit, so a round
 *       needs only the jobs created since: the ones this replica wrote and handed over by uuid after their
 *       commit. A full load every 5 s catches the rest (another replica's jobs if that replica could not place
 *       them, a retry on an unchanged cluster); while full loads find nothing new they back off to 30 s.</li>
 * </ul>
 */
public final class RoundMemory {
    static final long FULL_LOAD_EVERY_NANOS = 5_000_000_000L;
    /**
     * While full loads keep finding nothing but known misses, they back off to this: on a cluster with 100,000
     * jobs that cannot fit, each one reads every waiting row, and that showed up as latency spikes for cooks.
     */
    static final long FULL_LOAD_AT_MOST_EVERY_NANOS = 30_000_000_000L;
    /** About 100 bytes each: 200,000 remembered misses cost ~20 MB; past that the backlog is re-read each round. */
    static final int MAX_REMEMBERED = 200_000;

    /**
     * Which waiting jobs a round should load: with {@code only} set, just those (the jobs handed over since the
     * last round); otherwise every waiting job except {@code skip} (a read-only view, valid until the next
     * {@link #remember}).
     */
    public record JobWindow(Set<UUID> skip, Set<UUID> only) {
        public boolean incremental() {
            return only != null;
        }
    }

    private final Set<UUID> knownUnplaceable = new HashSet<>();
    private int stateAfterLastRound;
    private long lastFullLoadNanos;
    private boolean fullLoadDue = true;
    private long fullLoadEveryNanos = FULL_LOAD_EVERY_NANOS;
    private boolean lastWindowFull;
    private Set<UUID> handedOverToLastWindow = Set.of();

    /**
     * Decides the job window for a round that just loaded {@code nodes} at {@code nowNanos}, given the jobs
     * created (and committed) on this replica since the last round, at most {@code maxJobs} of which fit a round.
     */
    public JobWindow window(List<NodeSnapshot> nodes, long nowNanos, Set<UUID> created, int maxJobs) {
        boolean unchanged = fingerprint(nodes) == stateAfterLastRound && knownUnplaceable.size() <= MAX_REMEMBERED;
        if (!unchanged) knownUnplaceable.clear();
        boolean incremental = unchanged && !fullLoadDue && created.size() <= maxJobs
                && nowNanos - lastFullLoadNanos < fullLoadEveryNanos;
        lastWindowFull = !incremental;
        handedOverToLastWindow = created;
        if (!unchanged) fullLoadEveryNanos = FULL_LOAD_EVERY_NANOS;
        if (incremental) return new JobWindow(Set.of(), Set.copyOf(created));
        lastFullLoadNanos = nowNanos;
        // A view, not a copy: the loader reads it within the round, and copying 100,000+ uuids every full load
        // showed up as 100-200 ms young-generation pauses.
        return new JobWindow(java.util.Collections.unmodifiableSet(knownUnplaceable), null);
    }

    /**
     * Records the round: its jobs, its plan, whether every placement of the plan was committed, and whether the
     * round's job load was cut at its limit (then more jobs wait than it saw, and the next round loads in full).
     */
    public void remember(List<NodeSnapshot> nodes, List<PendingJob> jobs, PlacementPlan plan, boolean fullyApplied,
                         boolean loadWasCut) {
        plan.unplaced().forEach(u -> knownUnplaceable.add(u.jobUuid()));
        if (lastWindowFull) {
            // New means not handed over: under a stream of cooks a full load always meets a few just-created jobs,
            // and counting those would keep full loads at every 5 s.
            boolean foundNew = jobs.stream().anyMatch(j -> !handedOverToLastWindow.contains(j.jobUuid()));
            fullLoadEveryNanos = foundNew ? FULL_LOAD_EVERY_NANOS : Math.min(fullLoadEveryNanos * 2, FULL_LOAD_AT_MOST_EVERY_NANOS);
        }
        stateAfterLastRound = fullyApplied ? fingerprint(after(nodes, jobs, plan)) : 0;
        fullLoadDue = loadWasCut || !fullyApplied;
    }

    /** After a failed round: trust nothing, load everything next time. */
    public void forget() {
        knownUnplaceable.clear();
        stateAfterLastRound = 0;
        fullLoadDue = true;
        fullLoadEveryNanos = FULL_LOAD_EVERY_NANOS;
    }

    /** Order-independent hash of the nodes as placement sees them (capacity, GPUs, what runs hold). */
    static int fingerprint(List<NodeSnapshot> nodes) {
        int h = 17;
        for (NodeSnapshot n : nodes) h += n.hashCode();
        return h == 0 ? 1 : h;
    }

    /** The nodes with the plan's placements added to what they hold. */
    public static List<NodeSnapshot> after(List<NodeSnapshot> nodes, List<PendingJob> jobs, PlacementPlan plan) {
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
                ? n.plusHeld(added.get(n.uuid()))
                : n).toList();
    }
}
