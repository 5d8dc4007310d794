package dev.galley.server.db;

import dev.galley.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server process on a data directory, started and stopped with {@code pg_ctl} (which puts it in
 * a session of its own, so a Ctrl-C meant for galley does not reach it first). Also finds and stops the
 * PostgreSQL a crashed galley server left running on the same directory.
 */
final class Postmaster {
    private static final Logger log = LoggerFactory.getLogger(Postmaster.class);
    /** A fast shutdown normally takes well under a second (one checkpoint); past this, an immediate one. */
    private static final Duration FAST_STOP = Duration.ofSeconds(20);
    /** Start-up includes crash recovery, which replays the WAL since the last checkpoint. pg_ctl returns at once if the server dies. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private final PostgresBinaries binaries;
    private final Path pgData;
    private final ProcessHandle process;
    private final int port;

    private Postmaster(PostgresBinaries binaries, Path pgData, ProcessHandle process, int port) {
        this.binaries = binaries;
        this.pgData = pgData;
        this.process = process;
        this.port = port;
    }

    /** Starts PostgreSQL on {@code pgData} and waits until it accepts connections; its output goes to {@code logFile}. */
    static Postmaster start(PostgresBinaries binaries, Path pgData, int port, Map<String, String> settings, Path logFile) {
        String options = "-p " + port + " " + settings.entrySet().stream()
                .map(e -> "-c " + e.getKey() + "=" + (e.getValue().isEmpty() ? "''" : e.getValue()))
                .collect(Collectors.joining(" "));
        Result r = run(binaries.command("pg_ctl", "start", "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()),
                "-D", pgData.toString(), "-l", logFile.toString(), "-o", options), START_TIMEOUT.plusSeconds(10));
        Optional<PostmasterPidFile> pid = PostmasterPidFile.read(pgData);
        Optional<ProcessHandle> handle = pid.flatMap(p -> ProcessHandle.of(p.pid())).filter(Postmaster::isRunning);
        if (r.exit() != 0 || handle.isEmpty()) {
            throw new ConfigException("PostgreSQL did not start on " + pgData + ": " + r.output().strip()
                    + "\n--- last lines of " + logFile + " ---\n" + tail(logFile, 15));
        }
        return new Postmaster(binaries, pgData, handle.get(), port);
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return isRunning(process);
    }

    /**
     * Alive and not a zombie. An exited postmaster stays a zombie until init reaps it (its parent, pg_ctl, is long
     * gone), and {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (macOS), or it just went away
        }
    }

    /** A clean (fast) shutdown: sessions are ended, a checkpoint is written; immediate, then SIGKILL, if that hangs. */
    void stop() {
        stop(binaries, pgData, process);
    }

    /**
     * Stops a PostgreSQL that a previous galley server left running on {@code pgData} (one killed with SIGKILL
     * cannot stop its database). Only a live process that really is a PostgreSQL on this directory is stopped;
     * a pid file naming anything else is stale and removed, since PostgreSQL would refuse to start over it.
     */
    static void stopLeftover(PostgresBinaries binaries, Path pgData) {
        Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(pgData);
        if (pidFile.isEmpty()) return;
        long pid = pidFile.get().pid();
        Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(Postmaster::isRunning);
        if (alive.isEmpty()) {
            log.info("the PostgreSQL of an earlier run (pid {}) is gone; it did not shut down cleanly, so it recovers from its WAL now", pid);
            return;
        }
        if (!isPostgresOn(alive.get(), pgData)) {
            log.warn("{} names pid {}, which is not a PostgreSQL on {} (the pid was reused); removing the stale pid file",
                    PostmasterPidFile.NAME, pid, pgData);
            try {
                Files.deleteIfExists(pgData.resolve(PostmasterPidFile.NAME));
            } catch (IOException e) {
                throw new ConfigException("cannot remove the stale " + pgData.resolve(PostmasterPidFile.NAME) + ": " + e.getMessage(), e);
            }
            return;
        }
        long t0 = System.nanoTime();
        log.warn("a PostgreSQL left running by an earlier galley server (pid {}, port {}) holds {}; stopping it before starting ours",
                pid, pidFile.get().port(), pgData);
        stop(binaries, pgData, alive.get());
        log.info("stopped the PostgreSQL left behind (pid {}) in {} ms", pid, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void stop(PostgresBinaries binaries, Path pgData, ProcessHandle process) {
        if (!isRunning(process)) return;
        // pg_ctl -w returns once the postmaster has removed its pid file, i.e. has exited.
        Result fast = run(binaries.command("pg_ctl", "stop", "-D", pgData.toString(), "-m", "fast", "-w",
                "-t", Long.toString(FAST_STOP.toSeconds())), FAST_STOP.plusSeconds(10));
        if (fast.exit() == 0 || !isRunning(process)) return;
        log.warn("PostgreSQL (pid {}) did not stop within {} s ({}); stopping it immediately", process.pid(), FAST_STOP.toSeconds(),
                fast.output().strip());
        Result immediate = run(binaries.command("pg_ctl", "stop", "-D", pgData.toString(), "-m", "immediate", "-w", "-t", "10"),
                Duration.ofSeconds(20));
        if (immediate.exit() == 0 || !isRunning(process)) return;
        log.warn("PostgreSQL (pid {}) ignored an immediate shutdown; killing it", process.pid());
        process.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (isRunning(process)) {
            if (System.nanoTime() > deadline) throw new ConfigException("PostgreSQL (pid " + process.pid() + ") on " + pgData + " cannot be stopped");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException("interrupted while stopping PostgreSQL (pid " + process.pid() + ")", e);
            }
        }
    }

    /** The program is postgres and, where /proc tells, its working directory (a postmaster chdirs to its data dir) is ours. */
    static boolean isPostgresOn(ProcessHandle process, Path pgData) {
        String program = process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("");
        if (!program.equals("postgres") && !program.equals("postmaster")) return false;
        Path cwd = Path.of("/proc", Long.toString(process.pid()), "cwd");
        if (!Files.exists(Path.of("/proc/self"))) return true; // no /proc (macOS): the pid file lives in pgData
        try {
            return Files.readSymbolicLink(cwd).equals(pgData.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    record Result(int exit, String output) {}

    /** Runs a PostgreSQL program to completion, with its output captured. */
    static Result run(List<String> command, Duration timeout) {
        return run(command, null, timeout);
    }

    static Result run(List<String> command, String stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile("galley-pg", ".out");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                try (var in = p.getOutputStream()) {
                    if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout.toSeconds() + " s: " + Files.readString(out));
                }
                return new Result(p.exitValue(), Files.readString(out));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while running " + command, e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
