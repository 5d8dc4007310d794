package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.providers.Reputation;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A node as placement sees it at the start of a round: reported capacity and what its active runs hold.
 *
 * @param regionCode null when the node declared none (it then fits only jobs allowed anywhere)
 * @param status     only an ONLINE node takes new runs ({@link SchedulableFilter})
 * @param held       what the node's active runs hold; "free" = capacity minus this
 * @param reputation 0–100 ({@code dev.galley.core.providers.Reputation}): among equally tight fits, the higher wins
 */
public record NodeSnapshot(UUID uuid, String regionCode, NodeStatus status, int cpuCores, double ramGb,
                           double storageGb, List<GpuDevice> gpus, HeldResources held, double reputation) {
    /**
     * The nodes a round looks at: those that take runs, and DRAINING ones, so a job that only a draining node
     * could run says so. OFFLINE nodes are left out: a cluster collects many of them over time.
     */
    public static final Set<NodeStatus> PLACEMENT_SEES = EnumSet.of(NodeStatus.ONLINE, NodeStatus.DRAINING);

    public NodeSnapshot {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(status, "status");
        gpus = List.copyOf(gpus);
        Objects.requireNonNull(held, "held");
        if (cpuCores < 0 || ramGb < 0 || storageGb < 0) throw new IllegalArgumentException("capacity cannot be negative");
        if (!(reputation >= 0 && reputation <= 100)) throw new IllegalArgumentException("reputation must be from 0 to 100");
        var indexes = new HashSet<Integer>();
        for (GpuDevice gpu : gpus)
            if (!indexes.add(gpu.index())) throw new IllegalArgumentException("duplicate GPU device index " + gpu.index());
    }

    /** A node with a new node's reputation (50). */
    public NodeSnapshot(UUID uuid, String regionCode, NodeStatus status, int cpuCores, double ramGb, double storageGb,
                        List<GpuDevice> gpus, HeldResources held) {
        this(uuid, regionCode, status, cpuCores, ramGb, storageGb, gpus, held, Reputation.NEW_NODE);
    }

    /** The same node holding {@code more} besides what it held. */
    public NodeSnapshot plusHeld(HeldResources more) {
        return new NodeSnapshot(uuid, regionCode, status, cpuCores, ramGb, storageGb, gpus, held.plus(more), reputation);
    }
}
