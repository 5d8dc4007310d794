package dev.galley.server.db;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the embedded PostgreSQL die with the galley server, however the server dies. PostgreSQL runs in a session
 * of its own and outlives a JVM killed with SIGKILL; this small {@code sh} child of the JVM reads a pipe that only
 * the JVM holds open. When the JVM is gone the kernel closes the pipe, the read ends, and the shell asks the
 * postmaster for a fast shutdown (SIGINT), which ends its sessions and writes a checkpoint. A clean stop kills
 * the shell first, so it never fires then. If the watchdog itself is killed too, the next start stops the
 * leftover PostgreSQL ({@link Postmaster#stopLeftover}).
 */
final class PostmasterWatchdog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);
    /** $1 is the postmaster's pid; it is signalled only while it is still a postgres (pids are reused). */
    private static final String SCRIPT = """
            while read -r _; do :; done
            if [ ! -d /proc ] || [ "$(cat /proc/$1/comm 2>/dev/null)" = postgres ]; then kill -INT "$1" 2>/dev/null; fi
            """;

    private final Process shell;

    private PostmasterWatchdog(Process shell) {
        this.shell = shell;
    }

    /** Watches {@code postmasterPid}; without a working {@code sh} the server runs on unwatched (the next start cleans up). */
    static PostmasterWatchdog watch(long postmasterPid) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "galley-postgres-watchdog", Long.toString(postmasterPid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return new PostmasterWatchdog(p);
        } catch (IOException e) {
            log.warn("no watchdog for the embedded PostgreSQL ({}); if this server is killed, the next start stops it", e.getMessage());
            return new PostmasterWatchdog(null);
        }
    }

    long pid() {
        return shell == null ? -1 : shell.pid();
    }

    /** Disarms the watchdog: the shell is killed before its pipe closes, so it signals nothing. */
    @Override
    public void close() {
        if (shell == null) return;
        // Through the handle: Process.destroy() would also close the pipe, racing the signal with the EOF.
        shell.toHandle().destroyForcibly();
        try {
            shell.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
