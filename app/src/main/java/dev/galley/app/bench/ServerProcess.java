package dev.galley.app.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code galley server} as a separate process (same classpath as this one), so its CPU and resident memory
 * can be read apart from the load generator's.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final long spawnedAt;

    private ServerProcess(Process process, int port, Path log, long spawnedAt) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.spawnedAt = spawnedAt;
    }

    /** Spawns the server; {@code env} holds the GALLEY_* variables (the port is chosen here). */
    public static ServerProcess spawn(Path workDir, String name, Map<String, String> env, String jvmOpts, Path jfrFile) {
        return spawn(workDir, name, env, jvmOpts, jfrFile, freePort(), List.of());
    }

    /** Spawns {@code galley server ARGS} on {@code port} (a restart test runs the same command again on the same port). */
    public static ServerProcess spawn(Path workDir, String name, Map<String, String> env, String jvmOpts, Path jfrFile, int port,
                                      List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (jvmOpts != null && !jvmOpts.isBlank()) cmd.addAll(Arrays.asList(jvmOpts.trim().split("\\s+")));
        if (jfrFile != null) cmd.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.galley.app.Main");
        cmd.add("server");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GALLEY_"));
        pb.environment().putAll(env);
        pb.environment().put("GALLEY_HTTP_PORT", Integer.toString(port));
        pb.environment().put("GALLEY_HTTP_HOST", "127.0.0.1");
        Path log = workDir.resolve("server-" + name + ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            long t0 = System.nanoTime();
            return new ServerProcess(pb.start(), port, log, t0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the server: " + e.getMessage(), e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code GET /health} to answer 200; returns the seconds since the process was spawned. */
    public double awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(url().resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + logTail());
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - spawnedAt) / 1e9;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(20);
        }
        throw new IllegalStateException("the server was not healthy within " + timeout.toSeconds() + " s:\n" + logTail());
    }

    /** SIGKILL, like a crash or the OOM killer: no shutdown hooks run. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public double rssMb() {
        return Proc.rssMb(process.pid());
    }

    public Path log() {
        return log;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (the server shuts down cleanly, its embedded PostgreSQL too), then SIGKILL after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
