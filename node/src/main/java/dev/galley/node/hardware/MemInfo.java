package dev.galley.node.hardware;

/**
 * {@code MemTotal} and {@code MemAvailable} from {@code /proc/meminfo}, in KiB (the file says kB). Used memory is
 * {@code MemTotal − MemAvailable}: what programs hold and the kernel cannot simply reclaim, the number {@code free}
 * shows as "used" minus reclaimable caches. Kernels before 3.14 have no MemAvailable; MemFree stands in for it.
 */
public record MemInfo(long totalKib, long availableKib) {

    public static MemInfo parse(String meminfo) {
        long total = -1;
        long available = -1;
        long free = -1;
        for (String line : meminfo.split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2) continue;
            try {
                long kib = Long.parseLong(parts[1]);
                switch (parts[0]) {
                    case "MemTotal:" -> total = kib;
                    case "MemAvailable:" -> available = kib;
                    case "MemFree:" -> free = kib;
                    default -> { }
                }
            } catch (NumberFormatException ignored) {
                // Not a numeric line; /proc/meminfo has none today, but a malformed one must not stop the probe.
            }
        }
        if (total < 0) throw new IllegalStateException("no MemTotal in /proc/meminfo");
        if (available < 0) available = Math.max(free, 0);
        return new MemInfo(total, Math.min(available, total));
    }

    public long usedKib() {
        return totalKib - availableKib;
    }
}
