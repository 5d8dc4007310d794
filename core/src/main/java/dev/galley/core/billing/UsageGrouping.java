package dev.galley.core.billing;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How {@code GET /v1/usage/summary} groups usage records (spec §9), and in what order the groups come: days in
 * calendar order (a chart's x axis), jobs and GPU models by amount, largest first (what cost the most).
 * A record belongs to the UTC day its period starts in; CPU-only usage groups under the GPU name null.
 */
public enum UsageGrouping {
    DAY("day", true), JOB("job", false), GPU_NAME("gpu_name", false);

    private final String wire;
    private final boolean chronological;

    UsageGrouping(String wire, boolean chronological) {
        this.wire = wire;
        this.chronological = chronological;
    }

    public String wire() {
        return wire;
    }

    /** Groups in key order (days), or else by amount, largest first, ties by key. */
    public boolean chronological() {
        return chronological;
    }

    public static Optional<UsageGrouping> fromWire(String name) {
        return Arrays.stream(values()).filter(g -> g.wire.equals(name)).findFirst();
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(UsageGrouping::wire).collect(Collectors.joining(", "));
    }
}
