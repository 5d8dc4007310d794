package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** A real galley server with the console, on the test database, shared by the console's tests. */
final class ConsoleServer {
    private static GalleyServer shared;

    private ConsoleServer() {}

    static synchronized GalleyServer shared() {
        if (shared == null) {
            shared = start(Console.DEFAULT_IDLE, Console.DEFAULT_ABSOLUTE);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** A server of its own with these session lifetimes; the caller closes it. */
    static GalleyServer start(Duration idle, Duration absolute) {
        return TestServer.start(TestDatabase.jdbcUrl(), 30_000, c -> c.withRateLimitRps(0), List.of(new Console(idle, absolute)));
    }

    /**
     * A server of its own on a fresh database (epoch rows are shared by every server on a database, so a schedule
     * of its own needs one) with these provider settings, e.g. GALLEY_TELEMETRY_INTERVAL or GALLEY_EPOCH_LENGTH,
     * and a 2-second node TTL; the caller closes it.
     */
    static GalleyServer startWithProviders(java.util.Map<String, String> settings) {
        return TestServer.start(TestDatabase.fresh(), 2_000, c -> c.withRateLimitRps(0)
                        .withProviders(dev.galley.server.config.ProviderSettings.fromEnvironment(settings, 2_000)),
                List.of(new Console(Console.DEFAULT_IDLE, Console.DEFAULT_ABSOLUTE)));
    }

    /** A fresh account with a compute_consumer key that may also read its nodes and their rewards, as a provider's. */
    static TestServer.Tenant provider(GalleyServer on) {
        return TestServer.newTenant(on, List.of("preset:compute_consumer", "nodes.read.own", "epochs.read.own"));
    }

    static URI base(GalleyServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** A fresh account with a compute_consumer key. */
    static TestServer.Tenant tenant(GalleyServer on) {
        return TestServer.newTenant(on, List.of("preset:compute_consumer"));
    }

    /** A recipe with one string input {@code scene} and an echo command, owned by the tenant. */
    static String recipe(TestServer.Tenant t, String name) {
        var body = dev.galley.server.http.Json.object().put("name", name).put("visibility", "PRIVATE");
        body.put("quickstart_md", "# Render\nRun it with `scene` set.\n\n<script>alert(1)</script>\n- one\n- two");
        var payload = body.putObject("payload").put("title", "render {{scene}}").put("task", "BATCH").put("cpu_count", 1)
                .put("max_timeout_run_ms", 600_000);
        payload.putObject("parameters").putObject("parameters").put("image", "localhost/galley-test/busybox")
                .putObject("env").put("SCENE", "{{scene}}");
        body.putArray("input_schema").addObject().put("key", "scene").put("type", "string").put("required", true)
                .put("label", "Scene");
        JsonNode r = t.ok("POST", "/v1/job-recipes", body.toString(), 201);
        return r.get("uuid").asText();
    }
}
