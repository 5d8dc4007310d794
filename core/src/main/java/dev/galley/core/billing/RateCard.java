package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The rate card: every version of every price, and which one is in force at an instant (spec §9).
 *
 * <p>The version in force for a resource (and GPU model) at {@code t} is the one with the latest
 * {@code effectiveFrom <= t}; of versions effective at the same instant, the one added last. A GPU model without a
 * price of its own is charged the default GPU price (the GPU version with no model). A resource with no version in
 * force is free: the seeded card is effective from the epoch, so that happens only on a card an operator built by hand.
 *
 * <p>Because versions are only ever added, and never with an {@code effectiveFrom} in the past, the answer for an
 * instant that has passed never changes: a run's price is a pure lookup at its start.
 */
public final class RateCard {
    private static final Comparator<PriceVersion> ORDER =
            Comparator.comparing(PriceVersion::effectiveFrom).thenComparingLong(PriceVersion::sequence);

    private record Key(PriceResource resource, UUID gpuModel) {}

    /** Versions per key, in the order they take effect. */
    private final Map<Key, List<PriceVersion>> versions;

    private RateCard(Map<Key, List<PriceVersion>> versions) {
        this.versions = versions;
    }

    public static RateCard of(Collection<PriceVersion> all) {
        Map<Key, List<PriceVersion>> byKey = new HashMap<>();
        for (PriceVersion v : all) byKey.computeIfAbsent(new Key(v.resource(), v.gpuModel()), k -> new ArrayList<>()).add(v);
        byKey.values().forEach(list -> list.sort(ORDER));
        return new RateCard(byKey);
    }

    /** The version of exactly this resource and model (no fallback to the default GPU price) in force at {@code t}. */
    public Optional<PriceVersion> versionAt(PriceResource resource, UUID gpuModel, Instant t) {
        List<PriceVersion> list = versions.get(new Key(resource, gpuModel));
        if (list == null) return Optional.empty();
        PriceVersion found = null;
        for (PriceVersion v : list) {
            if (v.effectiveFrom().isAfter(t)) break;
            found = v;
        }
        return Optional.ofNullable(found);
    }

    /** The hourly price of one unit of {@code resource} at {@code t}; a GPU model without its own price costs the default. */
    public BigDecimal unitPriceAt(PriceResource resource, UUID gpuModel, Instant t) {
        Optional<PriceVersion> v = versionAt(resource, gpuModel, t);
        if (v.isEmpty() && resource == PriceResource.GPU && gpuModel != null) v = versionAt(resource, null, t);
        return v.map(PriceVersion::amountPerHour).orElse(Money.ZERO);
    }

    /**
     * A run's hourly price at {@code t}: each GPU at its model's price, plus {@code cpu_count} × the core price,
     * {@code ram_gb} × the RAM price and {@code storage_gb} × the storage price, rounded once to six digits.
     */
    public BigDecimal hourlyPrice(RunResources r, Instant t) {
        BigDecimal total = BigDecimal.ZERO;
        for (UUID model : r.gpuModels()) total = total.add(unitPriceAt(PriceResource.GPU, model, t));
        total = total.add(unitPriceAt(PriceResource.CPU_CORE, null, t).multiply(BigDecimal.valueOf(r.cpuCount())));
        total = total.add(unitPriceAt(PriceResource.RAM_GB, null, t).multiply(r.ramGb()));
        total = total.add(unitPriceAt(PriceResource.STORAGE_GB, null, t).multiply(r.storageGb()));
        return Money.round(total);
    }

    /** Every version in force at {@code t} (one per resource and model that has one), in no particular order. */
    public List<PriceVersion> inForceAt(Instant t) {
        List<PriceVersion> out = new ArrayList<>();
        for (Key k : versions.keySet()) versionAt(k.resource(), k.gpuModel(), t).ifPresent(out::add);
        return out;
    }
}
