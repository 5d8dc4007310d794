package dev.galley.server.metering;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run's meter, claimed by the closer, with what it needs of the run and its node (read unlocked: a run that ends
 * right after this read is closed by the next batch).
 *
 * @param pricePerHour null until the run's first close fixes it (with {@code gpuName} and {@code gpuCount})
 */
public record MeterRow(UUID jobRunUuid, Instant startedAt, Instant meteredUntil, BigDecimal pricePerHour, String gpuName,
                       Integer gpuCount, UUID jobUuid, UUID accountUuid, UUID nodeUuid, UUID providerAccountUuid, boolean active,
                       Instant completedAt, String statusReasonCode, int cpuCount, double ramGb, double storageGb,
                       List<Integer> gpuDevices, Instant nodeLastSeen) {
    public boolean priced() {
        return pricePerHour != null;
    }
}
