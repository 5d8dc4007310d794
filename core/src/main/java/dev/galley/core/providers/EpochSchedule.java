package dev.galley.core.providers;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where compute epochs start and end (spec §10): back-to-back epochs of {@code length}, the first starting at
 * {@code origin}. The default is Dispersed's: one week from Sunday 00:00 UTC. {@code GALLEY_EPOCH_LENGTH} (an
 * ISO-8601 duration) shortens them for tests and small installations; they stay anchored at the same Sunday, so
 * every replica computes the same boundaries without talking to the others.
 */
public record EpochSchedule(Instant origin, Duration length) {
    /** A Sunday, 00:00 UTC (1970-01-01 was a Thursday). */
    public static final Instant SUNDAY_ORIGIN = Instant.parse("1970-01-04T00:00:00Z");
    public static final Duration WEEK = Duration.ofDays(7);
    public static final Duration MIN_LENGTH = Duration.ofSeconds(1);
    public static final Duration MAX_LENGTH = Duration.ofDays(366);
    public static final EpochSchedule WEEKLY = new EpochSchedule(SUNDAY_ORIGIN, WEEK);

    public EpochSchedule {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(length, "length");
        if (length.compareTo(MIN_LENGTH) < 0 || length.compareTo(MAX_LENGTH) > 0) {
            throw new IllegalArgumentException("an epoch must last from " + MIN_LENGTH + " to " + MAX_LENGTH + ", not " + length);
        }
        if (length.toNanosPart() % 1_000_000 != 0 || origin.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("epoch boundaries are whole milliseconds");
        }
    }

    /** Epochs of {@code length} from the Sunday origin. */
    public static EpochSchedule ofLength(Duration length) {
        return new EpochSchedule(SUNDAY_ORIGIN, length);
    }

    /** Reads {@code GALLEY_EPOCH_LENGTH} ({@link FixedDuration}: {@code P1W}, {@code P7D}, {@code PT1H}, {@code PT90S}). */
    public static Duration parseLength(String text) {
        return FixedDuration.parse("GALLEY_EPOCH_LENGTH", text, MIN_LENGTH, MAX_LENGTH);
    }

    /** The epoch {@code t} falls in (an epoch holds its start, not its end). */
    public Epoch epochAt(Instant t) {
        long lengthMs = length.toMillis();
        long index = Math.floorDiv(t.toEpochMilli() - origin.toEpochMilli(), lengthMs);
        return epoch(index);
    }

    /** The {@code index}-th epoch after the origin (negative: before it). */
    public Epoch epoch(long index) {
        Instant start = origin.plusMillis(Math.multiplyExact(index, length.toMillis()));
        return new Epoch(index, start, start.plus(length));
    }

    public Epoch following(Epoch e) {
        return epoch(e.index() + 1);
    }

    public Epoch preceding(Epoch e) {
        return epoch(e.index() - 1);
    }
}
