package dev.galley.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Reads CPU time and resident memory of processes from /proc (Linux only; elsewhere the numbers are absent). */
public final class Proc {
    /** USER_HZ: clock ticks per second in /proc/[pid]/stat; 100 on every Linux architecture Galley targets. */
    static final double TICKS_PER_SECOND = 100.0;

    private Proc() {}

    /** utime + stime (+ cutime + cstime when {@code withReapedChildren}) of a process, in seconds; -1 when unknown. */
    public static double cpuSeconds(long pid, boolean withReapedChildren) {
        try {
            return ticks(Path.of("/proc", Long.toString(pid), "stat"), withReapedChildren) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (+ cutime + cstime) from a process's or thread's {@code stat} file. */
    private static long ticks(Path statFile, boolean withReapedChildren) throws IOException {
        String stat = Files.readString(statFile);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": f[0] is state (field 3); utime is field 14 -> f[11]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (withReapedChildren) ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks;
    }

    /** VmRSS (or another field of /proc/[pid]/status, e.g. VmHWM) in MiB; empty when unknown. */
    public static OptionalLong statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return OptionalLong.empty();
    }

    /** CPU seconds of a JVM's JIT compiler threads (C1 and C2), read per thread; -1 when unknown. */
    public static double jitCpuSeconds(long pid) {
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            double total = 0;
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).strip();
                if (!name.contains("CompilerThre")) continue;
                total += ticks(task.resolve("stat"), false) / TICKS_PER_SECOND;
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static double rssMb(long pid) {
        OptionalLong kb = statusKb(pid, "VmRSS");
        return kb.isPresent() ? kb.getAsLong() / 1024.0 : Double.NaN;
    }

    /** A process tree's CPU: the root with its reaped children plus its live children (PostgreSQL: postmaster + backends). */
    public static double treeCpuSeconds(long rootPid) {
        double total = cpuSeconds(rootPid, true);
        if (total < 0) return -1;
        for (ProcessHandle child : ProcessHandle.of(rootPid).map(p -> p.children().toList()).orElse(List.of())) {
            double c = cpuSeconds(child.pid(), false);
            if (c > 0) total += c;
        }
        return total;
    }

    /** CPU used by a set of processes over one phase, as a share of one core (100% = one core busy). */
    public static final class CpuMeter {
        private final List<Long> pids;
        private final List<Boolean> trees;
        private final double[] start;
        private final long t0 = System.nanoTime();

        private CpuMeter(List<Long> pids, List<Boolean> trees) {
            this.pids = pids;
            this.trees = trees;
            this.start = read();
        }

        /** Meters: the load generator itself, the server JVM (pid or -1) and PostgreSQL (postmaster pid or -1). */
        public static CpuMeter start(long serverPid, long postgresPid) {
            List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid(), serverPid, postgresPid));
            return new CpuMeter(pids, List.of(false, false, true));
        }

        private double[] read() {
            double[] v = new double[pids.size()];
            for (int i = 0; i < v.length; i++) {
                long pid = pids.get(i);
                v[i] = pid <= 0 ? -1 : trees.get(i) ? treeCpuSeconds(pid) : cpuSeconds(pid, false);
            }
            return v;
        }

        /** Percent of one core for [load generator, server, postgres]; NaN where unknown. */
        public double[] stop() {
            double wall = (System.nanoTime() - t0) / 1e9;
            double[] end = read();
            double[] pct = new double[end.length];
            for (int i = 0; i < end.length; i++) {
                pct[i] = start[i] < 0 || end[i] < 0 || wall <= 0 ? Double.NaN : (end[i] - start[i]) / wall * 100.0;
            }
            return pct;
        }
    }
}
