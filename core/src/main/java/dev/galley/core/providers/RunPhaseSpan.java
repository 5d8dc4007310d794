package dev.galley.core.providers;

import dev.galley.core.lifecycle.RunStatus;
import java.util.Objects;

/** One of a node's runs was in {@code phase} (PREPARING or RUNNING count for rewards) during {@code interval}. */
public record RunPhaseSpan(RunStatus phase, Interval interval) {
    public RunPhaseSpan {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(interval, "interval");
    }
}
