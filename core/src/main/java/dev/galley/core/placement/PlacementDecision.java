package dev.galley.core.placement;

import java.util.UUID;

/** One outcome of a placement round for a job: a run put on a node, or slots left waiting with a reason. */
public sealed interface PlacementDecision permits Placement, Unplaced {
    UUID jobUuid();
}
