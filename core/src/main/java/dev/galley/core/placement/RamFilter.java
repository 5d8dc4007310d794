package dev.galley.core.placement;

import java.util.Optional;

/** Free RAM ≥ {@code min_ram_gb}. */
public final class RamFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        return node.ramGb() + NodeCapacity.EPSILON >= requirements.minRamGb()
                ? Optional.empty() : Rejection.NOT_ENOUGH_RAM.asOptional();
    }
}
