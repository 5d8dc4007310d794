package dev.galley.core.placement;

import java.util.Optional;

/** Only ONLINE nodes that are not draining take new runs. */
public final class SchedulableFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        return node.schedulable() ? Optional.empty() : Rejection.NOT_SCHEDULABLE.asOptional();
    }
}
