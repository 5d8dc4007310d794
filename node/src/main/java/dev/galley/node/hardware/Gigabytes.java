package dev.galley.node.hardware;

/** Unit conversions used by the probe: everything is reported as binary GB rounded to one decimal. */
final class Gigabytes {
    private Gigabytes() {}

    static double fromBytes(long bytes) {
        return oneDecimal(bytes / (1024.0 * 1024 * 1024));
    }

    static double fromKib(long kib) {
        return oneDecimal(kib / (1024.0 * 1024));
    }

    static double fromMib(long mib) {
        return oneDecimal(mib / 1024.0);
    }

    static double oneDecimal(double value) {
        return Math.round(value * 10.0) / 10.0;
    }
}
