package dev.galley.app.e2e;

import dev.galley.app.bench.ServerProcess;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import dev.galley.server.db.EmbeddedPostgresLauncher;
import dev.galley.server.db.PostmasterPidFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code galley server} in its default mode (embedded PostgreSQL) as a real process on one data dir and one port,
 * so a test can kill it and run the very same command again.
 */
final class EmbeddedServer {
    final Path work;
    final Path dataDir;
    final int port;
    final Map<String, String> env;
    final List<String> args;

    EmbeddedServer(Path work, Map<String, String> extraEnv, List<String> args) {
        this.work = work;
        this.dataDir = work.resolve("data");
        this.port = ServerProcess.freePort();
        this.env = new java.util.HashMap<>(extraEnv);
        this.env.put("GALLEY_DATA_DIR", dataDir.toString());
        this.args = args;
    }

    /** Runs the start command; {@code name} names its log file. */
    ServerProcess start(String name) {
        return ServerProcess.spawn(work, name, env, "-XX:+UseParallelGC -Xmx384m", null, port, args);
    }

    Path pgData() {
        return dataDir.resolve("postgres");
    }

    GalleyClient operator(ServerProcess server) throws IOException {
        String pair = Files.readString(dataDir.resolve("operator.key")).strip();
        return GalleyClient.builder(server.url(), ApiKeyPair.parse(pair)).requestTimeout(Duration.ofSeconds(30)).build();
    }

    /** The embedded database as the running server left it: its URL (port from postmaster.pid) and password. */
    String jdbcUrl() {
        int pgPort = PostmasterPidFile.read(pgData()).orElseThrow(() -> new IllegalStateException("no postmaster.pid")).port();
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
    }

    String dbPassword() throws IOException {
        return Files.readString(dataDir.resolve(EmbeddedPostgresLauncher.PASSWORD_FILE)).strip();
    }

    static String output(ServerProcess s) {
        try {
            return Files.readString(s.log());
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
