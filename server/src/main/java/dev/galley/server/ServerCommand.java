package dev.galley.server;

import dev.galley.server.config.ConfigException;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.keys.ApiKeyGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code galley server}: the control plane. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Galley control plane (HTTP API, scheduler) on PostgreSQL.",
                "Without GALLEY_DATABASE_URL an embedded PostgreSQL keeps its data in GALLEY_DATA_DIR (default ~/.galley)."},
        footer = {"", "Environment: GALLEY_HTTP_PORT, GALLEY_DATABASE_URL (+ _USER, _PASSWORD), GALLEY_DATA_DIR,",
                "GALLEY_BOOTSTRAP_KEY=pk_…:sk_…, GALLEY_MASTER_KEY (base64, 32 bytes), GALLEY_NODE_TTL_MS."})
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--port", description = "HTTP port (overrides GALLEY_HTTP_PORT; default 8080)")
    Integer port;

    @Option(names = "--data-dir", description = "data directory for the embedded database and keys (overrides GALLEY_DATA_DIR)")
    Path dataDir;

    @Option(names = "--no-local-node", description = "do not start the local node that runs jobs on this machine (embedded mode only)")
    boolean noLocalNode;

    /** What the executable does once the server is up (the app starts a local node there). */
    @FunctionalInterface
    public interface StartedListener {
        void started(GalleyServer server, ServerConfig config, String operatorKey, PrintStream out);
    }

    private final Map<String, String> env;
    private final PrintStream out;
    private final StartedListener listener;

    public ServerCommand() {
        this(System.getenv(), System.out, (server, config, key, out) -> { });
    }

    public ServerCommand(Map<String, String> env, PrintStream out, StartedListener listener) {
        this.env = env;
        this.out = out;
        this.listener = listener;
    }

    @Override
    public Integer call() {
        try {
            Map<String, String> vars = new HashMap<>(env);
            if (port != null) vars.put("GALLEY_HTTP_PORT", port.toString());
            if (dataDir != null) vars.put("GALLEY_DATA_DIR", dataDir.toString());
            ServerConfig config = ServerConfig.fromEnvironment(vars);
            String operatorKey = config.bootstrapKey().orElse(null);
            boolean generated = false;
            if (operatorKey == null && config.databaseUrl().isEmpty()) {
                // Embedded mode with no key given: keep one in the data dir so a newcomer can call the API at once.
                operatorKey = localOperatorKey(config.dataDir());
                generated = true;
                config = config.withBootstrapKey(operatorKey);
            }
            GalleyServer server = GalleyServer.start(config);
            printWelcome(server.port(), operatorKey, generated, config);
            if (!noLocalNode && config.databaseUrl().isEmpty() && operatorKey != null) {
                listener.started(server, config, operatorKey, out);
            }
            server.runUntilShutdown();
            return 0;
        } catch (ConfigException e) {
            System.err.println("galley server: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // A port in use, an unreachable database…: one line that says what, the trace only when asked for.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            System.err.println("galley server: could not start: " + e.getMessage()
                    + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : ""));
            org.slf4j.LoggerFactory.getLogger(ServerCommand.class).debug("start-up failure", e);
            return 1;
        }
    }

    private void printWelcome(int port, String key, boolean generated, ServerConfig config) {
        out.println();
        out.println("Galley is running: http://localhost:" + port + "  (health: /health, API contract: /v1/openapi.yaml)");
        if (key != null) {
            out.println("Operator API key" + (generated ? " (kept in " + config.dataDir().resolve("operator.key") + ")" : "") + ":");
            out.println();
            out.println("  export GALLEY_URL=http://localhost:" + port);
            out.println("  export GALLEY_API_KEY=" + key);
            out.println("  ./galley api GET /v1/gpu-registry");
            out.println();
        } else {
            out.println("No operator key: set GALLEY_BOOTSTRAP_KEY=pk_…:sk_… to create one at start.");
        }
    }

    static String localOperatorKey(Path dataDir) {
        Path file = dataDir.resolve("operator.key");
        try {
            if (Files.exists(file)) return Files.readString(file).trim();
            Files.createDirectories(dataDir);
            String key = ApiKeyGenerator.publicKey() + ":" + ApiKeyGenerator.secretKey();
            Files.writeString(file, key + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            return key;
        } catch (IOException e) {
            throw new ConfigException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }
}
