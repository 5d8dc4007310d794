package dev.galley.core.providers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One node's rewards for one epoch (spec §10), the numbers of a reward row. Hours and amounts carry 6 decimals, the
 * multiplier 2.
 *
 * <pre>
 *   availability = A × assignable_hours / 168
 *   execution    = E × multiplier × worked_hours / 168
 *   preparation  = P × prep_hours / 168
 *   total        = availability + execution + preparation
 * </pre>
 *
 * Each amount is computed exactly from the milliseconds (not from the rounded hours) and rounded once, half-even
 * (banker's rounding, so many rows carry no upward bias), to 6 decimals. {@code total} is the sum of the three
 * rounded amounts, so a row always adds up.
 */
public record NodeReward(BigDecimal assignableHours, BigDecimal workedHours, BigDecimal prepHours, BigDecimal multiplier,
                         BigDecimal availabilityReward, BigDecimal executionReward, BigDecimal preparationReward,
                         BigDecimal total) {
    public static final int AMOUNT_SCALE = 6;
    private static final BigDecimal WEEK_MS = BigDecimal.valueOf(168L * 3_600_000L);

    /** The rewards of a node that did {@code hours} in an epoch, its GPUs worth {@code multiplier}. */
    public static NodeReward of(EpochHours hours, BigDecimal multiplier, RewardRates rates) {
        Objects.requireNonNull(multiplier, "multiplier");
        if (multiplier.signum() < 0) throw new IllegalArgumentException("a multiplier must be >= 0");
        BigDecimal availability = perWeek(rates.availabilityPerWeek(), hours.assignableMs());
        BigDecimal execution = perWeek(rates.executionPerWeek().multiply(multiplier), hours.workedMs());
        BigDecimal preparation = perWeek(rates.preparationPerWeek(), hours.prepMs());
        return new NodeReward(hours.assignableHours(), hours.workedHours(), hours.prepHours(),
                multiplier.setScale(Math.max(RewardMultipliers.SCALE, multiplier.scale()), RoundingMode.UNNECESSARY),
                availability, execution, preparation, availability.add(execution).add(preparation));
    }

    /** {@code weekly × ms / (168 h)}, rounded once. */
    private static BigDecimal perWeek(BigDecimal weekly, long ms) {
        return weekly.multiply(BigDecimal.valueOf(ms)).divide(WEEK_MS, AMOUNT_SCALE, RoundingMode.HALF_EVEN);
    }
}
