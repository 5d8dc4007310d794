package dev.galley.core.providers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stretch of time {@code [start, end)}: a node ONLINE, a run RUNNING, an epoch. Empty when {@code start == end}.
 * Something still going on has no end yet; {@link #upTo} gives it {@code now} as its end, so every rule here works
 * on closed intervals and never reads a clock.
 */
public record Interval(Instant start, Instant end) {
    public Interval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) throw new IllegalArgumentException("an interval ends before it starts: " + start + " > " + end);
    }

    /**
     * {@code [start, end)}, or {@code [start, now)} while it has no end ({@code end == null}). An interval that
     * starts after {@code now} is empty at {@code start}: it has not happened yet.
     */
    public static Interval upTo(Instant start, Instant endOrNull, Instant now) {
        Instant end = endOrNull != null ? endOrNull : now;
        return new Interval(start, end.isBefore(start) ? start : end);
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    public long millis() {
        return end.toEpochMilli() - start.toEpochMilli();
    }

    public boolean isEmpty() {
        return start.equals(end);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /** The part of this interval inside {@code other}, if any. */
    public Optional<Interval> intersection(Interval other) {
        Instant s = start.isAfter(other.start) ? start : other.start;
        Instant e = end.isBefore(other.end) ? end : other.end;
        return s.isBefore(e) ? Optional.of(new Interval(s, e)) : Optional.empty();
    }
}
