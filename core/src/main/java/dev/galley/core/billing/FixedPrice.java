package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A run's price, fixed once at its first close: the hourly price at the rate card in force when it started, and the
 * GPUs it is for as usage records show them ({@code gpu_name}: the model's name, or the names joined with " + " in the
 * rare run that holds GPUs of several models; null for a run without GPUs).
 */
public record FixedPrice(BigDecimal pricePerHour, String gpuName, int gpuCount) {
    /** One GPU a run holds: its registry model (null when the node's GPU is unknown) and name. */
    public record Gpu(UUID model, String name) {}

    public FixedPrice {
        Objects.requireNonNull(pricePerHour, "pricePerHour");
    }

    public static FixedPrice at(RateCard card, Instant startedAt, List<Gpu> gpus, int cpuCount, BigDecimal ramGb, BigDecimal storageGb) {
        List<UUID> models = new ArrayList<>();
        var names = new LinkedHashSet<String>();
        for (Gpu g : gpus) {
            models.add(g.model());
            if (g.name() != null) names.add(g.name());
        }
        BigDecimal price = card.hourlyPrice(new RunResources(models, cpuCount, ramGb, storageGb), startedAt);
        return new FixedPrice(price, names.isEmpty() ? null : String.join(" + ", names), gpus.size());
    }
}
