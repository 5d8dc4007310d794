package dev.galley.core.billing;

import java.math.BigDecimal;

/**
 * One group of a usage summary: its key (a UTC date {@code YYYY-MM-DD}, a job uuid, or a GPU name; null for
 * CPU-only usage), the seconds and amount of its records, and how many records it holds.
 */
public record UsageGroup(String key, long seconds, BigDecimal amount, long records) {
    public UsageGroup plus(UsageGroup other) {
        return new UsageGroup(key, seconds + other.seconds, amount.add(other.amount), records + other.records);
    }
}
