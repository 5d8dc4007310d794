package dev.galley.core.placement;

import dev.galley.core.lifecycle.ReasonCode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the scheduler's last rounds left jobs of a given shape waiting, so a new job of that shape can be
 * created with the reason it is about to get. A cook on a cluster with no room then answers with the real
 * reason at once ("no online node has 4 CPU cores (largest: 2)") instead of a generic one, and the next
 * round finds nothing to rewrite: without this, every new job that has to wait was written twice, once by
 * the request and once more by the scheduler (a non-HOT update touching every index of {@code jobs}).
 *
 * <p>Only a hint: the scheduler still decides, and rewrites a job's reason whenever its own differs. Shapes
 * the last round placed are forgotten, so a job that fits starts with the generic reason. Thread-safe: the
 * scheduler writes, request threads read.
 */
public final class WaitReasonHints {
    /** A reason as stored on a waiting job. */
    public record Hint(String reason, ReasonCode code) {}

    /** What a new job says while no round has told anything about its shape. */
    public static final Hint NOT_YET_LOOKED_AT = new Hint("waiting for a node that fits", ReasonCode.WAITING_FOR_CAPACITY);

    static final int MAX_SHAPES = 10_000;

    private final Map<RunRequirements, Hint> byShape = new ConcurrentHashMap<>();

    /** Learns from one round: the reasons of first placements left waiting, and the shapes that were placed. */
    public void learn(List<PendingJob> jobs, PlacementPlan plan) {
        Map<java.util.UUID, PendingJob> byUuid = new java.util.HashMap<>();
        jobs.forEach(j -> byUuid.put(j.jobUuid(), j));
        for (Placement p : plan.placements()) {
            PendingJob j = byUuid.get(p.jobUuid());
            if (j != null) byShape.remove(j.requirements());
        }
        if (byShape.size() > MAX_SHAPES) byShape.clear(); // bounded: forgetting only costs a rewrite
        for (Unplaced u : plan.unplaced()) {
            PendingJob j = byUuid.get(u.jobUuid());
            if (j != null && j.slots() instanceof RunSlots.FirstPlacement) {
                byShape.put(j.requirements(), new Hint(u.reason(), u.reasonCode()));
            }
        }
    }

    /** The reason the last round gave a waiting job of this shape, if any. */
    public Optional<Hint> forShape(RunRequirements shape) {
        return Optional.ofNullable(byShape.get(shape));
    }

    /** The reason a new job of this shape starts with: the last round's, or {@link #NOT_YET_LOOKED_AT}. */
    public Hint forNewJob(RunRequirements shape) {
        return byShape.getOrDefault(shape, NOT_YET_LOOKED_AT);
    }
}
