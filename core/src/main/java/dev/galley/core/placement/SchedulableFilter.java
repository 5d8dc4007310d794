package dev.galley.core.placement;

import java.util.Optional;

/** Only ONLINE nodes take new runs: a DRAINING node keeps its runs but gets no more, an OFFLINE one gets none. */
public final class SchedulableFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        return switch (node.status()) {
            case ONLINE -> Optional.empty();
            case DRAINING -> Rejection.NODE_DRAINING.asOptional();
            case OFFLINE -> Rejection.NODE_OFFLINE.asOptional();
        };
    }
}
