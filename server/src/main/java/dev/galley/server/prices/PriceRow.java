package dev.galley.server.prices;

import dev.galley.core.billing.PriceResource;
import dev.galley.core.billing.PriceVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code prices}: one version of one price, with its GPU model's name for display. */
public record PriceRow(UUID uuid, long sequence, PriceResource resource, UUID gpuRegistryUuid, String gpuName,
                       BigDecimal amountPerHour, String currency, Instant effectiveFrom, Instant createdAt) {
    public PriceVersion version() {
        return new PriceVersion(uuid, resource, gpuRegistryUuid, amountPerHour, currency, effectiveFrom, sequence);
    }
}
