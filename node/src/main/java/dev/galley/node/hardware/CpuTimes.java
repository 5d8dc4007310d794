package dev.galley.node.hardware;

/**
 * The whole machine's CPU time counters from the first line of {@code /proc/stat} ({@code cpu  user nice system idle
 * iowait irq softirq steal guest guest_nice}, in clock ticks since boot), and how many logical CPUs it lists
 * ({@code cpuN} lines).
 *
 * <p>Idle time is {@code idle + iowait}; everything else up to {@code steal} is busy (guest time is already inside
 * user and nice, so it is not added again). CPU use between two readings is the busy share of the ticks that
 * passed — the machine as a whole, containers included, which is what an operator wants to see, unlike the JVM's
 * own estimate, which only covers the agent's cgroup.
 */
public record CpuTimes(long busyTicks, long totalTicks, int cores) {

    /** Reads {@code /proc/stat}; kernels older than 2.6 print only the first four counters, which is enough. */
    public static CpuTimes parse(String procStat) {
        long busy = -1;
        long total = -1;
        int cores = 0;
        for (String line : procStat.split("\\R")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.substring(4).strip().split("\\s+");
                if (f.length < 4) throw new IllegalStateException("/proc/stat: the cpu line has " + f.length + " counters, expected at least 4");
                long sum = 0;
                long idle = 0;
                int counted = Math.min(f.length, 8); // user … steal; guest and guest_nice are inside user and nice
                for (int i = 0; i < counted; i++) {
                    long v = parseCounter(f[i]);
                    sum += v;
                    if (i == 3 || i == 4) idle += v;
                }
                total = sum;
                busy = sum - idle;
            } else if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cores++;
            }
        }
        if (total < 0) throw new IllegalStateException("/proc/stat has no cpu line");
        return new CpuTimes(busy, total, cores);
    }

    private static long parseCounter(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("/proc/stat: '" + text + "' is not a counter");
        }
    }

    /**
     * Whole-machine CPU use from {@code earlier} to this reading, 0–100 with one decimal; null when no tick passed
     * or the counters went backwards (a reset), since any number would be made up.
     */
    public Double percentSince(CpuTimes earlier) {
        long total = totalTicks - earlier.totalTicks;
        long busy = busyTicks - earlier.busyTicks;
        if (total <= 0 || busy < 0 || busy > total) return null;
        return Math.round(1000.0 * busy / total) / 10.0;
    }
}
