package dev.galley.core.providers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Sets of time as sorted, disjoint, non-empty {@link Interval}s: union (overlapping runs count once), intersection
 * (runs only while the node was up) and clipping to an epoch.
 */
public final class Intervals {
    private Intervals() {}

    /** The time covered by any of {@code intervals}: sorted, disjoint, touching ones merged, empty ones dropped. */
    public static List<Interval> union(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals.stream().filter(i -> !i.isEmpty()).toList());
        sorted.sort(Comparator.comparing(Interval::start));
        List<Interval> merged = new ArrayList<>();
        Instant start = null;
        Instant end = null;
        for (Interval i : sorted) {
            if (start != null && !i.start().isAfter(end)) {
                if (i.end().isAfter(end)) end = i.end();
                continue;
            }
            if (start != null) merged.add(new Interval(start, end));
            start = i.start();
            end = i.end();
        }
        if (start != null) merged.add(new Interval(start, end));
        return List.copyOf(merged);
    }

    /** The time covered by both sets (each given in any order; overlaps within one set are fine). */
    public static List<Interval> intersection(List<Interval> a, List<Interval> b) {
        List<Interval> x = union(a);
        List<Interval> y = union(b);
        List<Interval> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < x.size() && j < y.size()) {
            x.get(i).intersection(y.get(j)).ifPresent(out::add);
            if (x.get(i).end().isBefore(y.get(j).end())) i++;
            else j++;
        }
        return List.copyOf(out);
    }

    /** The parts of {@code intervals} inside {@code window}, as a union. */
    public static List<Interval> clip(List<Interval> intervals, Interval window) {
        return intersection(intervals, List.of(window));
    }

    /** How long the union of {@code intervals} lasts, in milliseconds. */
    public static long totalMillis(List<Interval> intervals) {
        long total = 0;
        for (Interval i : union(intervals)) total += i.millis();
        return total;
    }
}
