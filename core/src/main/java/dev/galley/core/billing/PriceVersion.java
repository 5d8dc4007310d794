package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One version of one price on the rate card. Versions are never edited: a new price is a new version with a
 * later {@code effectiveFrom}.
 *
 * @param gpuModel the GPU model (registry uuid) for {@link PriceResource#GPU}; null for the other resources, and
 *                 for the default GPU price that applies to every model without a price of its own
 * @param sequence the order versions were added in: of two versions effective at the same instant, the later
 *                 added one is in force
 */
public record PriceVersion(UUID uuid, PriceResource resource, UUID gpuModel, BigDecimal amountPerHour, String currency,
                           Instant effectiveFrom, long sequence) {
    public PriceVersion {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(amountPerHour, "amountPerHour");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        if (gpuModel != null && resource != PriceResource.GPU) {
            throw new IllegalArgumentException("only a gpu price names a GPU model, not a " + resource.wire() + " price");
        }
        if (amountPerHour.signum() < 0) throw new IllegalArgumentException("a price is never negative: " + amountPerHour);
    }
}
