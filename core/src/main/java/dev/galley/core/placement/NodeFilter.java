package dev.galley.core.placement;

import java.util.Optional;

/** One feasibility stage of the placement pipeline: can this node's capacity host one run? */
public interface NodeFilter {
    /** Empty when the node passes; otherwise why it does not. */
    Optional<Rejection> check(NodeCapacity node, RunRequirements requirements);
}
