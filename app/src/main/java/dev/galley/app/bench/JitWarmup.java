package dev.galley.app.bench;

import java.time.Duration;

/**
 * Warms a freshly started server until its JIT compiler is quiet, so a benchmark measures the server's steady
 * state and not its first minute. On 2 cores a new server spends tens of seconds compiling its hot paths (the
 * C2 compiler thread was seen at 40% of the server's CPU 20 s into a cook run), and that CPU is taken from the
 * very requests being measured. Warm-up runs the benchmark's own load in slices and stops after the first
 * slice in which the compiler threads used less than {@link #QUIET_SHARE} of a core, or at {@code max}.
 */
final class JitWarmup {
    static final double QUIET_SHARE = 0.05;
    private static final Duration SLICE = Duration.ofSeconds(5);

    private JitWarmup() {}

    /**
     * Runs {@code slice} (which loads the server for the given time) until the JIT is quiet; with no server pid
     * (a server given by --url) it runs once for {@code max}. Returns the seconds it took.
     */
    static double run(BenchEnv env, long serverPid, Duration min, Duration max, java.util.function.Consumer<Duration> slice) {
        long start = System.nanoTime();
        if (serverPid <= 0 || Proc.jitCpuSeconds(serverPid) < 0) {
            slice.accept(max);
            return max.toSeconds();
        }
        double share = Double.NaN;
        int slices = 0;
        while (true) {
            double jit0 = Proc.jitCpuSeconds(serverPid);
            long t0 = System.nanoTime();
            Duration d = min.compareTo(SLICE) < 0 ? min : SLICE;
            slice.accept(d);
            slices++;
            share = (Proc.jitCpuSeconds(serverPid) - jit0) / ((System.nanoTime() - t0) / 1e9);
            Duration spent = Duration.ofNanos(System.nanoTime() - start);
            env.log("warm-up slice %d: server JIT compiler at %.0f%% of a core", slices, share * 100);
            if ((share < QUIET_SHARE && spent.compareTo(min) >= 0) || spent.compareTo(max) >= 0) break;
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
