package dev.galley.core.billing;

import java.util.Arrays;
import java.util.Optional;

/** What a price is for (spec §9): per GPU of a model, per CPU core, per GB of RAM, per GB of storage; all per hour. */
public enum PriceResource {
    GPU("gpu"), CPU_CORE("cpu_core"), RAM_GB("ram_gb"), STORAGE_GB("storage_gb");

    private final String wire;

    PriceResource(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<PriceResource> fromWire(String name) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(name)).findFirst();
    }
}
