package dev.galley.core.gpu;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The GPU registry as a pure lookup table, loaded by the server from the database. */
public final class GpuCatalog {
    private final Map<UUID, GpuModel> byUuid;
    private final Map<String, GpuModel> byName;

    public GpuCatalog(Collection<GpuModel> models) {
        this.byUuid = models.stream().collect(Collectors.toUnmodifiableMap(GpuModel::uuid, Function.identity()));
        var names = new java.util.HashMap<String, GpuModel>();
        for (GpuModel m : models) {
            names.putIfAbsent(GpuModel.normalize(m.name()), m);
            for (String a : m.aliases()) names.putIfAbsent(GpuModel.normalize(a), m);
        }
        this.byName = Map.copyOf(names);
    }

    public static GpuCatalog empty() {
        return new GpuCatalog(java.util.List.of());
    }

    public Optional<GpuModel> byNameOrAlias(String name) {
        return Optional.ofNullable(byName.get(GpuModel.normalize(name)));
    }

    public Optional<GpuModel> byUuid(UUID uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    public Collection<GpuModel> all() {
        return byUuid.values();
    }
}
