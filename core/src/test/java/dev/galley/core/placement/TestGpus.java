package dev.galley.core.placement;

import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;

import java.util.List;
import java.util.UUID;

/** A small GPU registry for tests. */
final class TestGpus {
    static final GpuModel H100 = new GpuModel(UUID.fromString("00000000-0000-0000-0000-00000000a100"),
            "H100 80GB", "NVIDIA", 80, List.of("H100", "H100 SXM5"));
    static final GpuModel A100 = new GpuModel(UUID.fromString("00000000-0000-0000-0000-00000000b100"),
            "A100 40GB", "NVIDIA", 40, List.of("A100"));
    static final GpuModel RTX_4090 = new GpuModel(UUID.fromString("00000000-0000-0000-0000-000000004090"),
            "GeForce RTX 4090", "NVIDIA", 24, List.of("RTX 4090", "4090"));
    static final GpuCatalog CATALOG = new GpuCatalog(List.of(H100, A100, RTX_4090));

    private TestGpus() {}

    /** {@code count} devices of {@code model}, resolved to its registry entry, indexes 0..count-1. */
    static List<GpuDevice> devices(int count, GpuModel model) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> new GpuDevice(i, model.name(), model.uuid(), model.vramGb())).toList();
    }
}
