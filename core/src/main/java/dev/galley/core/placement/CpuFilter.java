package dev.galley.core.placement;

import java.util.Optional;

/** Free CPU cores ≥ {@code cpu_count}. */
public final class CpuFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        return node.cpuCores() >= requirements.cpuCount() ? Optional.empty() : Rejection.NOT_ENOUGH_CPU.asOptional();
    }
}
