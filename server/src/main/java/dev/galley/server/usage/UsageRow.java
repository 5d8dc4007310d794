package dev.galley.server.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code usage_records}: one metered period of one run (spec §9). */
public record UsageRow(UUID uuid, UUID accountUuid, UUID jobUuid, UUID jobRunUuid, UUID nodeUuid, UUID providerAccountUuid,
                       Instant periodStart, Instant periodEnd, long seconds, String gpuName, int gpuCount, int cpuCount,
                       double ramGb, double storageGb, BigDecimal pricePerHour, BigDecimal amount, String currency,
                       Instant createdAt) {}
