package dev.galley.core.logs;

import java.util.Locale;

/**
 * How much of a run's output is kept (spec §8: "log retention per run is capped, oldest output dropped with a
 * marker"). Output is addressed by byte offsets into everything the run ever printed: {@code total} bytes were
 * appended, the stored output starts at {@code start}, so {@code total - start} bytes are kept.
 *
 * <p>Trimming drops whole chunks from the front. Once a run is over its cap it is trimmed down to 7/8 of the
 * cap, not just under it, so a run that keeps printing trims once per cap/8 of new output instead of on every
 * append. The cap is at least {@link #MIN_CAP_BYTES}, well above the largest chunk, so the newest chunk is
 * never the one dropped.
 */
public final class LogRetention {
    public static final long DEFAULT_CAP_BYTES = 64L << 20;
    public static final long MIN_CAP_BYTES = 1L << 20;

    private LogRetention() {}

    /**
     * The offset the stored output must start at (or after) once {@code total} bytes were appended: {@code start}
     * itself while the kept output fits in {@code cap}, else {@code total - 7/8 cap}.
     */
    public static long trimTarget(long start, long total, long cap) {
        if (cap < MIN_CAP_BYTES) throw new IllegalArgumentException("the log cap must be at least " + MIN_CAP_BYTES + " bytes");
        if (total - start <= cap) return start;
        return total - (cap - cap / 8);
    }

    /** The line shown where output was dropped: {@code [galley: 12.3 MiB of earlier output dropped]}. */
    public static String droppedMarker(long droppedBytes) {
        return "[galley: " + size(droppedBytes) + " of earlier output dropped]\n";
    }

    /** "512 bytes", "1.5 KiB", "12.3 MiB", "2.0 GiB". */
    public static String size(long bytes) {
        if (bytes < 1024) return bytes + (bytes == 1 ? " byte" : " bytes");
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes / 1024.0;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
