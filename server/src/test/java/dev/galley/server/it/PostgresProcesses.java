package dev.galley.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The PostgreSQL processes of a data directory, as a test sees them from outside (Linux /proc). */
public final class PostgresProcesses {
    private PostgresProcesses() {}

    /** Every postgres process (postmaster and backends) whose working directory is {@code pgData}. */
    public static List<ProcessHandle> on(Path pgData) {
        Path real;
        try {
            real = pgData.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false))
                .filter(p -> cwd(p).map(real::equals).orElse(false))
                .toList();
    }

    /** The postmasters among them: the ones whose parent is not a postgres on the same directory. */
    public static List<Long> postmasters(Path pgData) {
        List<ProcessHandle> all = on(pgData);
        List<Long> pids = all.stream().map(ProcessHandle::pid).toList();
        return all.stream().filter(p -> p.parent().map(pp -> !pids.contains(pp.pid())).orElse(true)).map(ProcessHandle::pid).toList();
    }

    /** SIGKILL to the postmaster and every process of its group (its backends and helpers) at once: a crash. */
    public static void killGroup(long postmasterPid) {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + postmasterPid).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -KILL -" + postmasterPid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static java.util.Optional<Path> cwd(ProcessHandle p) {
        try {
            return java.util.Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }
}
