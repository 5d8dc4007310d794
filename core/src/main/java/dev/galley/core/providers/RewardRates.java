package dev.galley.core.providers;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The weekly bases of the three rewards (spec §10) — availability A, execution E, preparation P — and the
 * multiplier of a node without a rated GPU. They are rates per 168 hours, so they hold for any epoch length: a
 * node ONLINE for a whole week earns A, for a whole one-hour epoch A / 168.
 */
public record RewardRates(BigDecimal availabilityPerWeek, BigDecimal executionPerWeek, BigDecimal preparationPerWeek,
                          BigDecimal cpuOnlyMultiplier) {
    /** Dispersed's: 6, 10 and 2 per week. */
    public static final RewardRates DEFAULT = new RewardRates(BigDecimal.valueOf(6), BigDecimal.valueOf(10),
            BigDecimal.valueOf(2), RewardMultipliers.CPU_ONLY);

    public RewardRates {
        nonNegative(availabilityPerWeek, "the availability rate");
        nonNegative(executionPerWeek, "the execution rate");
        nonNegative(preparationPerWeek, "the preparation rate");
        nonNegative(cpuOnlyMultiplier, "the CPU-only multiplier");
    }

    private static void nonNegative(BigDecimal v, String what) {
        Objects.requireNonNull(v, what);
        if (v.signum() < 0) throw new IllegalArgumentException(what + " must be >= 0, not " + v.toPlainString());
    }
}
