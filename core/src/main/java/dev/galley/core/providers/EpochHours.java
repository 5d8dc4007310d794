package dev.galley.core.providers;

import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.RunStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * What one node did in one epoch (spec §10), in milliseconds:
 * <ul>
 *   <li>{@code assignable}: time ONLINE (a DRAINING or OFFLINE node takes no new work);</li>
 *   <li>{@code worked}: time at least one of its runs was RUNNING;</li>
 *   <li>{@code prep}: time at least one of its runs was PREPARING (pulling its image, setting up).</li>
 * </ul>
 * Concurrent runs count once: the hours are the node's wall-clock time working, never more than the epoch, which
 * is what Dispersed's "online 100 %, working 50 %" means. Worked and prep time count only while the node was up
 * (ONLINE or DRAINING): a run the node lost is not work, even if its end was recorded late. Everything is clipped
 * to the epoch.
 */
public record EpochHours(long assignableMs, long workedMs, long prepMs) {
    private static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(3_600_000L);
    /** Hours are shown with 6 decimals, like amounts. */
    public static final int HOURS_SCALE = 6;

    public EpochHours {
        if (assignableMs < 0 || workedMs < 0 || prepMs < 0) throw new IllegalArgumentException("hours must be >= 0");
    }

    /** The hours of one node in {@code epoch}, from its status history and its runs' phases (in any order). */
    public static EpochHours of(Epoch epoch, List<NodeStatusSpan> statuses, List<RunPhaseSpan> runPhases) {
        Interval window = epoch.interval();
        List<Interval> online = statuses.stream().filter(s -> s.status() == NodeStatus.ONLINE).map(NodeStatusSpan::interval).toList();
        List<Interval> up = Intervals.clip(statuses.stream().filter(s -> s.status() != NodeStatus.OFFLINE)
                .map(NodeStatusSpan::interval).toList(), window);
        return new EpochHours(
                Intervals.totalMillis(Intervals.clip(online, window)),
                Intervals.totalMillis(Intervals.intersection(phase(runPhases, RunStatus.RUNNING), up)),
                Intervals.totalMillis(Intervals.intersection(phase(runPhases, RunStatus.PREPARING), up)));
    }

    private static List<Interval> phase(List<RunPhaseSpan> spans, RunStatus phase) {
        return spans.stream().filter(s -> s.phase() == phase).map(RunPhaseSpan::interval).toList();
    }

    public BigDecimal assignableHours() {
        return hours(assignableMs);
    }

    public BigDecimal workedHours() {
        return hours(workedMs);
    }

    public BigDecimal prepHours() {
        return hours(prepMs);
    }

    /** Milliseconds as hours, 6 decimals, half-even. */
    public static BigDecimal hours(long ms) {
        return BigDecimal.valueOf(ms).divide(MS_PER_HOUR, HOURS_SCALE, RoundingMode.HALF_EVEN);
    }
}
