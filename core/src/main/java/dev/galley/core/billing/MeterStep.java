package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What closing a run's meter now does: the usage periods to record (possibly none), how far the run is metered
 * after them, and whether the meter is finished (the run ended and every second of it is recorded).
 */
public record MeterStep(List<UsagePeriod> periods, Instant meteredUntil, boolean closed) {
    public MeterStep {
        periods = List.copyOf(periods);
    }

    public BigDecimal amount() {
        return periods.stream().map(UsagePeriod::amount).reduce(Money.ZERO, BigDecimal::add);
    }

    /** True when there is nothing to write. */
    public boolean isEmpty() {
        return periods.isEmpty() && !closed;
    }
}
