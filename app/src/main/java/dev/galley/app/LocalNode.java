package dev.galley.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import dev.galley.node.NodeCommand;
import dev.galley.node.runtime.ContainerRuntimeException;
import dev.galley.node.runtime.ContainerRuntimes;
import dev.galley.server.GalleyServer;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.crypto.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * The node that {@code galley server} starts on the same machine in embedded mode, so a newcomer's first
 * cooked job really runs. It is an ordinary agent speaking the ordinary protocol over HTTP, with its own
 * compute_node key (kept in the data directory). Without docker or podman it says so and the server runs on.
 */
public final class LocalNode {
    private LocalNode() {}

    public static void start(GalleyServer server, ServerConfig config, String operatorKey, PrintStream out) {
        String runtime = System.getenv("GALLEY_LOCAL_NODE_RUNTIME");
        try {
            ContainerRuntimes.detect(runtime == null || runtime.isBlank() ? null : runtime);
        } catch (ContainerRuntimeException e) {
            out.println("No local node: no working container runtime (" + e.getMessage() + ").");
            out.println("Jobs wait in PENDING until a node joins. Install podman (apt-get install -y podman) and restart,");
            out.println("or run `galley node --server URL --api-key pk_…:sk_… --region CODE` on another machine.");
            out.println();
            return;
        }
        String url = "http://127.0.0.1:" + server.port();
        String region = env("GALLEY_LOCAL_NODE_REGION", "us-east-1");
        String nodeKey;
        try {
            nodeKey = nodeKey(config.dataDir(), url, operatorKey);
        } catch (RuntimeException | IOException e) {
            out.println("No local node: could not create its API key: " + e.getMessage());
            return;
        }
        String[] args = {"--server", url, "--api-key", nodeKey, "--region", region, "--name", env("GALLEY_LOCAL_NODE_NAME", "local"),
                "--work-dir", config.dataDir().resolve("node").toString(), "--public-host", "127.0.0.1"};
        Thread.ofPlatform().name("galley-local-node").daemon().start(() -> {
            int code = new CommandLine(new NodeCommand()).execute(args);
            if (code != 0) System.err.println("galley: the local node stopped (exit " + code + "); the server keeps running");
        });
        out.println("Local node 'local' (region " + region + ") runs jobs here with " + (runtime == null ? "the detected container runtime" : runtime) + ".");
        out.println();
    }

    /** A compute_node key for the operator account, made once and kept next to the operator key (0600 from its first byte). */
    static String nodeKey(Path dataDir, String url, String operatorKey) throws IOException {
        Path file = dataDir.resolve("local-node.key");
        var existing = PrivateFiles.read(file);
        if (existing.isPresent()) return existing.get();
        GalleyClient operator = new GalleyClient(URI.create(url), ApiKeyPair.parse(operatorKey));
        JsonNode key = operator.post("/v1/api-keys", Map.of("name", "local node", "permissions", java.util.List.of("preset:compute_node")));
        String pair = key.get("public_key").asText() + ":" + key.get("secret_key").asText();
        PrivateFiles.create(file, pair);
        return pair;
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v.trim();
    }
}
