package dev.galley.node.hardware;

/**
 * Unit conversions used by the probe and the sampler: everything is reported as binary GB (2^30 bytes), rounded to
 * one decimal for the registered capacity and to two for load samples (0.1 GB would hide a small GPU's use).
 */
final class Gigabytes {
    private static final double KIB_PER_GB = 1024.0 * 1024;
    private static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;

    private Gigabytes() {}

    static double fromBytes(long bytes) {
        return oneDecimal(bytes / BYTES_PER_GB);
    }

    static double fromKib(long kib) {
        return oneDecimal(kib / KIB_PER_GB);
    }

    static double fromMib(long mib) {
        return oneDecimal(mib / 1024.0);
    }

    static double hundredthsFromBytes(long bytes) {
        return twoDecimals(bytes / BYTES_PER_GB);
    }

    static double hundredthsFromKib(long kib) {
        return twoDecimals(kib / KIB_PER_GB);
    }

    static double hundredthsFromMib(double mib) {
        return twoDecimals(mib / 1024.0);
    }

    static double oneDecimal(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    static double twoDecimals(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
