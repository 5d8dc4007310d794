package dev.galley.core.providers;

import java.time.Instant;
import java.util.Objects;

/** A run of the node ended at {@code at} with this {@code effect} on its reputation. */
public record RunOutcome(Instant at, ReputationEffect effect) {
    public RunOutcome {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(effect, "effect");
    }
}
