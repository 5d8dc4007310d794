package dev.galley.core.providers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which load samples the server keeps as {@code node_hardware_event}s (spec §10): at most one per node per
 * {@code interval} ({@code GALLEY_TELEMETRY_INTERVAL}, default 60 s), for {@code retention}
 * ({@code GALLEY_TELEMETRY_RETENTION}, default 7 days).
 *
 * <p>A sample is stored at the agent's {@code timestamp_ms}, but never later than when the server received it: an
 * agent whose clock runs ahead (or that lies) cannot push a sample into the future, where it would stay "newest"
 * and make every later sample look too soon. The agent sends its latest sample with every heartbeat; the repeats
 * carry the same timestamp and are dropped as too soon.
 */
public record HardwareEventRetention(Duration interval, Duration retention) {
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    public static final Duration MAX_RETENTION = Duration.ofDays(366);
    public static final HardwareEventRetention DEFAULT = new HardwareEventRetention(Duration.ofSeconds(60), Duration.ofDays(7));

    public HardwareEventRetention {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(retention, "retention");
        if (interval.compareTo(MIN_INTERVAL) < 0) throw new IllegalArgumentException("the telemetry interval must be at least 1 s");
        if (retention.compareTo(interval) < 0 || retention.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("the telemetry retention must be from the interval to " + MAX_RETENTION);
        }
    }

    /** Reads {@code GALLEY_TELEMETRY_INTERVAL} and {@code GALLEY_TELEMETRY_RETENTION} (null: the default). */
    public static HardwareEventRetention fromSettings(String interval, String retention) {
        Duration i = interval == null ? DEFAULT.interval
                : FixedDuration.parse("GALLEY_TELEMETRY_INTERVAL", interval, MIN_INTERVAL, MAX_RETENTION);
        Duration r = retention == null ? DEFAULT.retention
                : FixedDuration.parse("GALLEY_TELEMETRY_RETENTION", retention, MIN_INTERVAL, MAX_RETENTION);
        return new HardwareEventRetention(i, r);
    }

    /** What to do with one incoming sample. */
    public enum Verdict {
        /** Store it, at {@link Decision#timestampMs}. */
        KEEP,
        /** Within {@code interval} of the last one kept (or the same sample again). */
        TOO_SOON,
        /** Already older than the retention: the sweep would delete it at once. */
        EXPIRED
    }

    /** The verdict and the timestamp the sample is (or would be) stored at. */
    public record Decision(Verdict verdict, long timestampMs) {
        public boolean keep() {
            return verdict == Verdict.KEEP;
        }
    }

    /**
     * @param lastKeptMs the timestamp of the node's newest stored event, null when it has none
     * @param sampleMs   the sample's {@code timestamp_ms} as the agent sent it
     * @param receivedMs when the server received it
     */
    public Decision decide(Long lastKeptMs, long sampleMs, long receivedMs) {
        long at = Math.min(sampleMs, receivedMs);
        if (isExpired(at, receivedMs)) return new Decision(Verdict.EXPIRED, at);
        if (lastKeptMs != null && at - lastKeptMs < interval.toMillis()) return new Decision(Verdict.TOO_SOON, at);
        return new Decision(Verdict.KEEP, at);
    }

    /**
     * Down-samples a series of sample timestamps (in the order they arrive, each received at {@code receivedMs}
     * of the same index): the timestamps that would be kept, given the node's newest stored one.
     */
    public List<Long> keep(Long lastKeptMs, List<Long> sampleMs, List<Long> receivedMs) {
        if (sampleMs.size() != receivedMs.size()) throw new IllegalArgumentException("one receive time per sample");
        List<Long> kept = new ArrayList<>();
        Long last = lastKeptMs;
        for (int i = 0; i < sampleMs.size(); i++) {
            Decision d = decide(last, sampleMs.get(i), receivedMs.get(i));
            if (d.keep()) {
                kept.add(d.timestampMs());
                last = d.timestampMs();
            }
        }
        return List.copyOf(kept);
    }

    /** Stored events with {@code timestamp_ms} before this are deleted by the retention sweep at {@code nowMs}. */
    public long cutoffMs(long nowMs) {
        return nowMs - retention.toMillis();
    }

    public boolean isExpired(long timestampMs, long nowMs) {
        return timestampMs < cutoffMs(nowMs);
    }
}
