package dev.galley.server;

import dev.galley.server.config.ConfigException;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.crypto.ApiKeyGenerator;
import dev.galley.server.crypto.PrivateFiles;
import dev.galley.server.extension.ServerExtension;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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
    private final List<ServerExtension> extensions;

    public ServerCommand() {
        this(System.getenv(), System.out, (server, config, key, out) -> { });
    }

    public ServerCommand(Map<String, String> env, PrintStream out, StartedListener listener) {
        this(env, out, listener, List.of());
    }

    /** With extensions beside the API (the app passes the web console). */
    public ServerCommand(Map<String, String> env, PrintStream out, StartedListener listener, List<ServerExtension> extensions) {
        this.env = env;
        this.out = out;
        this.listener = listener;
        this.extensions = List.copyOf(extensions);
    }

    @Override
    public Integer call() {
        try {
            Map<String, String> vars = new HashMap<>(env);
            if (port != null) vars.put("GALLEY_HTTP_PORT", port.toString());
            if (dataDir != null) vars.put("GALLEY_DATA_DIR", dataDir.toString());
            ServerConfig config = ServerConfig.fromEnvironment(vars);
            OperatorKey operator = config.bootstrapKey().map(k -> new OperatorKey(k, Source.ENVIRONMENT)).orElse(null);
            if (operator == null && config.databaseUrl().isEmpty()) {
                // Embedded mode with no key given: keep one in the data dir so a newcomer can call the API at once.
                operator = localOperatorKey(config.dataDir());
                config = config.withBootstrapKey(operator.pair());
            }
            GalleyServer server = GalleyServer.start(config, extensions);
            printWelcome(server.port(), operator, config);
            if (!noLocalNode && config.databaseUrl().isEmpty() && operator != null) {
                listener.started(server, config, operator.pair(), out);
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

    /** Where the operator key came from: what may be printed depends on it. */
    enum Source { ENVIRONMENT, GENERATED_NOW, KEY_FILE }

    /** The operator's {@code pk_…:sk_…} pair and where it came from. */
    record OperatorKey(String pair, Source source) {
        String publicKey() {
            int colon = pair.indexOf(':');
            return colon < 0 ? pair : pair.substring(0, colon);
        }
    }

    /**
     * Tells the operator how to reach the API. The secret key is printed only when it was generated by this very
     * start (stdout usually ends up in a service's log, kept and shipped around); later starts point at the file.
     */
    private void printWelcome(int port, OperatorKey key, ServerConfig config) {
        out.println();
        out.println("Galley is running: http://localhost:" + port + "  (health: /health, API contract: /v1/openapi.yaml)");
        if (!extensions.isEmpty()) out.println("Web console: http://localhost:" + port + "/console  (sign in with an API key pair)");
        if (key == null) {
            out.println("No operator key: set GALLEY_BOOTSTRAP_KEY=pk_…:sk_… to create one at start.");
            return;
        }
        Path file = config.dataDir().resolve(OPERATOR_KEY_FILE);
        switch (key.source()) {
            case GENERATED_NOW -> {
                out.println("Operator API key, generated now and kept in " + file + " (mode 0600).");
                out.println("Its secret is shown this once; later starts show only the public key " + key.publicKey() + ":");
                out.println();
                out.println("  export GALLEY_URL=http://localhost:" + port);
                out.println("  export GALLEY_API_KEY=" + key.pair());
            }
            case KEY_FILE -> {
                out.println("Operator API key " + key.publicKey() + "; the key pair is in " + file + ":");
                out.println();
                out.println("  export GALLEY_URL=http://localhost:" + port);
                out.println("  export GALLEY_API_KEY=\"$(cat " + file + ")\"");
            }
            case ENVIRONMENT -> {
                out.println("Operator API key " + key.publicKey() + " (from GALLEY_BOOTSTRAP_KEY; its secret is not shown).");
                out.println();
                out.println("  export GALLEY_URL=http://localhost:" + port);
                out.println("  export GALLEY_API_KEY=pk_…:sk_…   # the value of GALLEY_BOOTSTRAP_KEY");
            }
        }
        out.println("  ./galley api GET /v1/gpu-registry");
        out.println();
    }

    static final String OPERATOR_KEY_FILE = "operator.key";

    /** The operator key kept in the data dir, generated on the first start (0600 from its first byte). */
    static OperatorKey localOperatorKey(Path dataDir) {
        Path file = dataDir.resolve(OPERATOR_KEY_FILE);
        try {
            var key = PrivateFiles.readOrCreate(file, () -> ApiKeyGenerator.publicKey() + ":" + ApiKeyGenerator.secretKey());
            return new OperatorKey(key.value(), key.created() ? Source.GENERATED_NOW : Source.KEY_FILE);
        } catch (IOException e) {
            throw new ConfigException("cannot read or write " + file + ": " + e.getMessage(), e);
        }
    }
}
