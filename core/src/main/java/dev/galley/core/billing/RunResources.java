package dev.galley.core.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one run holds and is charged for: its GPUs (one registry uuid per GPU; null for "a GPU of no particular
 * model", e.g. the estimate of a job that asks for any model), CPU cores, RAM and storage.
 */
public record RunResources(List<UUID> gpuModels, int cpuCount, BigDecimal ramGb, BigDecimal storageGb) {
    public RunResources {
        gpuModels = Collections.unmodifiableList(new ArrayList<>(gpuModels)); // nulls allowed: see above
        Objects.requireNonNull(ramGb, "ramGb");
        Objects.requireNonNull(storageGb, "storageGb");
        if (cpuCount < 0 || ramGb.signum() < 0 || storageGb.signum() < 0) {
            throw new IllegalArgumentException("resources are never negative");
        }
    }

    /** {@code count} GPUs of one model (null: any model) plus the rest. */
    public static RunResources of(int gpuCount, UUID gpuModel, int cpuCount, BigDecimal ramGb, BigDecimal storageGb) {
        return new RunResources(Collections.nCopies(gpuCount, gpuModel), cpuCount, ramGb, storageGb);
    }

    /** What one run of a job with these requirements holds (GPUs of the wanted model, or of any model). */
    public static RunResources of(dev.galley.core.placement.RunRequirements r) {
        return of(r.gpuCount(), r.gpuModel().registryUuid(), r.cpuCount(), quantity(r.minRamGb()), quantity(r.minStorageGb()));
    }

    /**
     * A job spec's or run's quantity as a decimal: {@code min_ram_gb} may be fractional and is stored as a double;
     * its shortest decimal form is the number the user wrote ({@code 0.1}, not {@code 0.1000000000000000055…}).
     */
    public static BigDecimal quantity(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) throw new IllegalArgumentException("not a quantity: " + value);
        return BigDecimal.valueOf(value);
    }

    public int gpuCount() {
        return gpuModels.size();
    }
}
