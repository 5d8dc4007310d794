package dev.galley.core.placement;

import java.util.Optional;

/** Free storage ≥ {@code min_storage_gb}. */
public final class StorageFilter implements NodeFilter {
    @Override
    public Optional<Rejection> check(NodeCapacity node, RunRequirements requirements) {
        return node.storageGb() + NodeCapacity.EPSILON >= requirements.minStorageGb()
                ? Optional.empty() : Rejection.NOT_ENOUGH_STORAGE.asOptional();
    }
}
