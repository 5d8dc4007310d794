package dev.galley.core.providers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One compute epoch {@code [startsAt, endsAt)} of an {@link EpochSchedule}; {@code index} counts epochs from the
 * schedule's origin.
 */
public record Epoch(long index, Instant startsAt, Instant endsAt) {
    public Epoch {
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (!endsAt.isAfter(startsAt)) throw new IllegalArgumentException("an epoch must end after it starts");
    }

    public Interval interval() {
        return new Interval(startsAt, endsAt);
    }

    /**
     * The same uuid for the same stretch of time on every replica (a name-based uuid of its bounds), so replicas
     * that create the epoch's row concurrently create one row, not two.
     */
    public UUID uuid() {
        return UUID.nameUUIDFromBytes(("galley compute epoch " + startsAt + " " + endsAt).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * When this epoch may be finalized: {@code settle} after it ends, so that what happened just before its end has
     * been recorded (a node's silence is noticed a node TTL late; an agent reports a run's end when it reaches the
     * server again).
     */
    public Instant finalizableAt(Duration settle) {
        if (settle.isNegative()) throw new IllegalArgumentException("the settle time must be >= 0");
        return endsAt.plus(settle);
    }
}
