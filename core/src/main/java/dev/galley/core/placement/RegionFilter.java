package dev.galley.core.placement;

import java.util.Optional;

/** The node's region must be one the job allows; an empty allow-list means anywhere. */
public final class RegionFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        if (requirements.allowedRegionCodes().isEmpty()) return Optional.empty();
        return node.regionCode() != null && requirements.allowedRegionCodes().contains(node.regionCode())
                ? Optional.empty() : Rejection.REGION_NOT_ALLOWED.asOptional();
    }
}
