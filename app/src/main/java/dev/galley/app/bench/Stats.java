package dev.galley.app.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies (nanoseconds), by sorting: exact, and cheap enough for a few 100k samples. */
public record Stats(int count, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

    public static Stats of(long[] nanos, int n) {
        if (n == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        double sum = 0;
        for (long v : s) sum += v;
        return new Stats(n, ms(pick(s, 0.50)), ms(pick(s, 0.90)), ms(pick(s, 0.99)), ms(s[n - 1]), sum / n / 1e6);
    }

    /** Nearest-rank percentile. */
    static long pick(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2f p90=%.2f p99=%.2f max=%.2f ms", count, p50Ms, p90Ms, p99Ms, maxMs);
    }
}
