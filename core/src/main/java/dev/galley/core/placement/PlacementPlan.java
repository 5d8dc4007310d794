package dev.galley.core.placement;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The result of one placement round. The server applies it in a transaction that re-checks it with
 * {@link PlanCheck} against the nodes as they are by then (another replica may have planned on the same
 * snapshot, a node may have been drained) and leaves what no longer fits for the next round.
 */
public record PlacementPlan(List<Placement> placements, List<Unplaced> unplaced) {
    public PlacementPlan {
        placements = List.copyOf(placements);
        unplaced = List.copyOf(unplaced);
    }

    public List<Placement> placementsFor(UUID jobUuid) {
        return placements.stream().filter(p -> p.jobUuid().equals(jobUuid)).toList();
    }

    public Optional<Unplaced> unplacedFor(UUID jobUuid) {
        return unplaced.stream().filter(u -> u.jobUuid().equals(jobUuid)).findFirst();
    }
}
