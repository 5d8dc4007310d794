package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One period of a run to record as a usage record: {@code [start, end)}, billed for {@code seconds} at the run's
 * hourly price ({@code amount = seconds × price ÷ 3600}, rounded to six digits).
 */
public record UsagePeriod(Instant start, Instant end, long seconds, BigDecimal amount) {}
