package dev.galley.node.agent;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The load sample a heartbeat carries as {@code metadata} (the node's {@code latest_hardware_event}):
 * what an operator looking at the node wants to see at a glance. Informational; placement uses the
 * registered capacity, not these numbers.
 */
final class HostLoad {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private HostLoad() {}

    /**
     * {@code cpu_load}: whole-machine CPU use 0..1 (recent), {@code load_average_1m}, {@code ram_used_gb}
     * and {@code ram_total_gb}, and {@code active_runs}. Values the JVM cannot read are left out.
     */
    static Map<String, Object> sample(int activeRuns) {
        Map<String, Object> sample = new LinkedHashMap<>();
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double cpu = sun.getCpuLoad();
            if (cpu >= 0) sample.put("cpu_load", round2(cpu));
            long total = sun.getTotalMemorySize();
            long free = sun.getFreeMemorySize();
            if (total > 0) {
                sample.put("ram_used_gb", round1((total - free) / GIB));
                sample.put("ram_total_gb", round1(total / GIB));
            }
        }
        double loadAverage = os.getSystemLoadAverage();
        if (loadAverage >= 0) sample.put("load_average_1m", round2(loadAverage));
        sample.put("active_runs", activeRuns);
        return sample;
    }

    private static double round1(double v) {
        return Math.round(v * 10.0) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
