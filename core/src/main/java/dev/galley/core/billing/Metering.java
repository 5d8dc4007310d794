package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The metering rule (spec §9): a run is charged per second from RUNNING until it ends, cut every {@code period}
 * from its start so that long (PERSISTENT) runs are charged while they run.
 *
 * <ul>
 *   <li>Periods are {@code [start + k·period, start + (k+1)·period)}; only a run's last period is shorter.
 *       A full period is billed {@code period} seconds; the last one its length rounded <em>up</em> to a whole
 *       second (a second begun is a second billed, as per-second cloud billing does). So the seconds of all of a
 *       run's periods add up to its running time rounded up to the second, and no instant is in two periods.</li>
 *   <li>While a run runs, a period is closed only once it is over and the run's node has heartbeated since its end:
 *       the node vouches for the time it is charged for. A node that falls silent is charged up to its last
 *       heartbeat and no further.</li>
 *   <li>A run that ended NODE_LOST is charged up to the node's last heartbeat ({@link #nodeLostEnd}).</li>
 *   <li>{@code amount = seconds × price_per_hour ÷ 3600}, rounded half-even to six digits ({@link Money}).</li>
 * </ul>
 * Applying a step and reading again closes nothing more: the rule is idempotent, which is what lets a batch that was
 * rolled back (a crash, a lost connection) simply be done again.
 */
public final class Metering {
    /** A step closes at most this many periods (the rest follow in the next step): a bounded batch, whatever the gap. */
    public static final int MAX_PERIODS_PER_STEP = 1_000;
    public static final Duration MIN_PERIOD = Duration.ofSeconds(1);
    public static final Duration MAX_PERIOD = Duration.ofDays(1);
    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private Metering() {}

    /** The usage periods to record now, and the meter's state after them. */
    public static MeterStep step(MeterReading r) {
        return close(r, chargeableUntil(r), !r.running());
    }

    /**
     * What the run has cost beyond its closed periods if it were closed now: a running run as if it ended at the
     * last instant its node vouches for. For {@code cost_so_far}; nothing of it is written.
     */
    public static MeterStep preview(MeterReading r) {
        return close(r, chargeableUntil(r), true);
    }

    private static MeterStep close(MeterReading r, Instant limit, boolean finishing) {
        List<UsagePeriod> periods = new ArrayList<>();
        Instant cursor = r.meteredUntil();
        long periodSeconds = r.period().getSeconds();
        BigDecimal fullAmount = amount(periodSeconds, r.pricePerHour());
        while (periods.size() < MAX_PERIODS_PER_STEP && !cursor.plus(r.period()).isAfter(limit)) {
            Instant end = cursor.plus(r.period());
            periods.add(new UsagePeriod(cursor, end, periodSeconds, fullAmount));
            cursor = end;
        }
        boolean capped = periods.size() == MAX_PERIODS_PER_STEP;
        if (finishing && !capped && cursor.isBefore(limit)) {
            long seconds = billableSeconds(Duration.between(cursor, limit));
            periods.add(new UsagePeriod(cursor, limit, seconds, amount(seconds, r.pricePerHour())));
            cursor = limit;
        }
        return new MeterStep(periods, cursor, finishing && !capped && !cursor.isBefore(limit));
    }

    /** How far the run may be charged at the moment of the reading; never before what is already metered. */
    static Instant chargeableUntil(MeterReading r) {
        Instant limit;
        if (r.running()) limit = earlier(r.now(), r.nodeLastSeen());
        else if (r.nodeLost()) limit = nodeLostEnd(r.endedAt(), r.nodeLastSeen(), r.nodeTtl());
        else limit = r.endedAt();
        return limit.isBefore(r.meteredUntil()) ? r.meteredUntil() : limit;
    }

    /**
     * The node's last heartbeat before a run was declared lost at {@code endedAt}. While the node is still silent
     * its {@code last_seen_at} is exactly that. If it has heartbeated again since (it came back), the last heartbeat
     * before the loss is no longer stored, but the reaper declares a node lost only after {@code ttl} of silence, so
     * it was at most {@code endedAt − ttl}: charging up to there never charges beyond the heartbeat by more than the
     * reaper's own delay.
     */
    public static Instant nodeLostEnd(Instant endedAt, Instant nodeLastSeen, Duration ttl) {
        return nodeLastSeen.isAfter(endedAt) ? endedAt.minus(ttl) : nodeLastSeen;
    }

    /** Whole seconds, a second begun counting as a second. */
    public static long billableSeconds(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("negative duration " + d);
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /** {@code seconds × pricePerHour ÷ 3600}, rounded half-even to six digits. */
    public static BigDecimal amount(long seconds, BigDecimal pricePerHour) {
        return pricePerHour.multiply(BigDecimal.valueOf(seconds)).divide(SECONDS_PER_HOUR, Money.SCALE, Money.ROUNDING);
    }

    /**
     * A metering period must be whole seconds between {@link #MIN_PERIOD} and {@link #MAX_PERIOD}: whole seconds so
     * that full periods bill exactly what they last.
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static Duration requireValidPeriod(Duration period) {
        if (period == null || period.getNano() != 0 || period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("the metering period must be whole seconds from PT1S to P1D, got " + period);
        }
        return period;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
