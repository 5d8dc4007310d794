package dev.galley.server.it;

import dev.galley.server.db.PostgresBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL the test runs like an operator's own server (not galley's embedded one): started, stopped in
 * immediate mode and restarted with {@code pg_ctl}, with password authentication and its default durability.
 */
public final class ExternalPostgres implements AutoCloseable {
    private final PostgresBinaries bin = PostgresBinaries.get();
    private final Path pgData;
    private final Path log;
    private final int port;
    private final String password;

    private ExternalPostgres(Path dir) throws IOException {
        this.pgData = dir.resolve("external-pg");
        this.log = dir.resolve("external-pg.log");
        this.password = "pw" + TestServer.randomHex(24);
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    /** initdb (SCRAM, a password) and start. */
    public static ExternalPostgres start(Path dir) throws IOException {
        ExternalPostgres pg = new ExternalPostgres(dir);
        Path pwfile = dir.resolve("external-pg.password");
        Files.writeString(pwfile, pg.password + "\n");
        pg.pgCtl(pg.bin.command("initdb", "-D", pg.pgData.toString(), "-U", "postgres", "-E", "UTF-8", "--auth=scram-sha-256",
                "--pwfile=" + pwfile, "--no-sync"));
        pg.start();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        return pg;
    }

    public String jdbcUrlWithCredentials() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&password=" + password;
    }

    public void start() {
        pgCtl(command("start", "-w", "-t", "120", "-l", log.toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"));
    }

    /** What a crash looks like to clients: every session is cut at once, no checkpoint. */
    public void stopImmediately() {
        pgCtl(command("stop", "-w", "-m", "immediate"));
    }

    public void restartImmediately() {
        pgCtl(command("restart", "-w", "-t", "120", "-m", "immediate", "-l", log.toString()));
    }

    @Override
    public void close() {
        try {
            pgCtl(command("stop", "-w", "-m", "fast"));
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
    }

    private List<String> command(String action, String... args) {
        List<String> a = new ArrayList<>(List.of(action, "-D", pgData.toString()));
        a.addAll(List.of(args));
        return bin.command("pg_ctl", a.toArray(String[]::new));
    }

    private void pgCtl(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
