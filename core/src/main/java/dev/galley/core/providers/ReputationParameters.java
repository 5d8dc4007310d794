package dev.galley.core.providers;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of {@link Reputation}.
 *
 * @param halfLife           an event this old counts half as much as one now
 * @param priorWeight        the pseudo-events a new node starts with, as many good as bad (so it starts at 50); the
 *                           larger, the more evidence it takes to move a node away from 50
 * @param faultWeight        how many completions one node fault cancels
 * @param creditPerOnlineDay how many completions a day ONLINE counts as
 */
public record ReputationParameters(Duration halfLife, double priorWeight, double faultWeight, double creditPerOnlineDay) {
    public static final ReputationParameters DEFAULT = new ReputationParameters(Duration.ofDays(7), 5, 4, 1);

    public ReputationParameters {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isNegative() || halfLife.isZero()) throw new IllegalArgumentException("the half-life must be positive");
        if (!(priorWeight > 0) || !(faultWeight > 0) || !(creditPerOnlineDay >= 0)
                || !Double.isFinite(priorWeight) || !Double.isFinite(faultWeight) || !Double.isFinite(creditPerOnlineDay)) {
            throw new IllegalArgumentException("prior and fault weights must be > 0, the online credit >= 0");
        }
    }

    /** 2^(−age / halfLife): the weight now of something {@code ageMs} old. */
    double weight(long ageMs) {
        return Math.pow(0.5, (double) ageMs / halfLife.toMillis());
    }
}
