package dev.galley.core.providers;

import dev.galley.core.lifecycle.NodeStatus;
import java.util.Objects;

/** A node was in {@code status} during {@code interval} (one row of its status history). */
public record NodeStatusSpan(NodeStatus status, Interval interval) {
    public NodeStatusSpan {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(interval, "interval");
    }
}
