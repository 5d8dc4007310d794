package dev.galley.core.placement;

import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Which GPU model a job accepts, resolved against the registry before placement so that the hot loop
 * compares a UUID and looks up a normalized name in a set instead of consulting the catalog.
 *
 * <p>A device matches when its registry uuid is the wanted one, or — for devices the registry did not
 * resolve (registry uuid null) — when its name is the model's name or one of its aliases. A device
 * resolved to a different registry entry never matches, whatever its name: the uuid is authoritative.
 *
 * @param registryUuid  the wanted registry entry, null when only names are known (or for {@link #ANY})
 * @param acceptedNames normalized ({@link GpuModel#normalize}) names and aliases; empty for {@link #ANY}
 * @param displayName   how messages name the model; null for {@link #ANY}
 */
public record GpuModelRequirement(UUID registryUuid, Set<String> acceptedNames, String displayName) {
    public static final GpuModelRequirement ANY = new GpuModelRequirement(null, Set.of(), null);

    public GpuModelRequirement {
        acceptedNames = Set.copyOf(acceptedNames);
    }

    /**
     * From the job spec's {@code gpu_name} / {@code gpu_registry_uuid} (at most one is set). A name or uuid
     * the catalog does not know still constrains placement — to that exact name or uuid — rather than
     * silently accepting any GPU.
     */
    public static GpuModelRequirement resolve(String gpuName, UUID gpuRegistryUuid, GpuCatalog catalog) {
        if (gpuRegistryUuid != null) {
            return catalog.byUuid(gpuRegistryUuid).map(GpuModelRequirement::of)
                    .orElseGet(() -> new GpuModelRequirement(gpuRegistryUuid, Set.of(), gpuRegistryUuid.toString()));
        }
        if (gpuName != null && !gpuName.isBlank()) {
            return catalog.byNameOrAlias(gpuName).map(GpuModelRequirement::of)
                    .orElseGet(() -> new GpuModelRequirement(null, Set.of(GpuModel.normalize(gpuName)), gpuName.trim()));
        }
        return ANY;
    }

    public static GpuModelRequirement of(GpuModel model) {
        var names = new HashSet<String>();
        names.add(GpuModel.normalize(model.name()));
        for (String alias : model.aliases()) names.add(GpuModel.normalize(alias));
        return new GpuModelRequirement(model.uuid(), names, model.name());
    }

    public boolean isAny() {
        return registryUuid == null && acceptedNames.isEmpty();
    }

    /** @param normalizedName the device name already passed through {@link GpuModel#normalize} */
    public boolean accepts(UUID deviceRegistryUuid, String normalizedName) {
        if (isAny()) return true;
        if (deviceRegistryUuid != null && registryUuid != null) return deviceRegistryUuid.equals(registryUuid);
        return acceptedNames.contains(normalizedName);
    }
}
