package dev.galley.core.billing;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * A usage summary for charts: the groups shown (at most the limit asked for, in the grouping's order) and the totals
 * over every matching record, so a truncated summary still says what everything came to.
 */
public record UsageSummary(UsageGrouping grouping, List<UsageGroup> groups, UsageGroup totals, boolean truncated) {
    public static final int MAX_GROUPS = 1_000;
    public static final int DEFAULT_GROUPS = 100;

    public UsageSummary {
        groups = List.copyOf(groups);
    }

    /** The order groups are shown in (see {@link UsageGrouping}). */
    public static Comparator<UsageGroup> order(UsageGrouping grouping) {
        Comparator<UsageGroup> byKey = Comparator.comparing(UsageGroup::key, Comparator.nullsLast(Comparator.naturalOrder()));
        return grouping.chronological() ? byKey
                : Comparator.comparing(UsageGroup::amount, Comparator.reverseOrder()).thenComparing(byKey);
    }

    /**
     * Puts a summary together from the groups found (in any order, at most {@code limit + 1} of them when the database
     * cut the list, or all of them) and the totals over all matching records.
     */
    public static UsageSummary of(UsageGrouping grouping, List<UsageGroup> found, UsageGroup totals, int limit) {
        if (limit < 1 || limit > MAX_GROUPS) throw new IllegalArgumentException("limit must be 1.." + MAX_GROUPS);
        List<UsageGroup> ordered = found.stream().sorted(order(grouping)).toList();
        boolean truncated = ordered.size() > limit;
        return new UsageSummary(grouping, truncated ? ordered.subList(0, limit) : ordered, totals, truncated);
    }

    /** The totals of no records. */
    public static UsageGroup emptyTotals() {
        return new UsageGroup(null, 0, Money.ZERO, 0);
    }

    public BigDecimal totalAmount() {
        return totals.amount();
    }
}
