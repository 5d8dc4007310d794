package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.contract.OpenApiContract;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real server, started once per test JVM on the real database, called over real HTTP with real
 * HMAC signatures. Every response a test reads through {@link #call} is checked against the OpenAPI document.
 */
public final class TestServer {
    public static final String OPERATOR_KEY = "pk_testoperator0001:sk_testoperatorsecret000000000000000001";
    public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static GalleyServer server;
    private static OpenApiContract contract;

    private TestServer() {}

    public static synchronized GalleyServer server() {
        if (server == null) {
            // The shared server runs without the per-key rate limit: suites such as JobsIT create thousands of
            // objects with one key. Servers a test starts for itself keep the default (RateLimitIT checks it).
            server = start(TestDatabase.jdbcUrl(), 30_000, c -> c.withRateLimitRps(0));
            contract = OpenApiContract.load();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        }
        return server;
    }

    /** A further replica on the same database (for cross-process tests); the caller closes it. */
    public static GalleyServer start(int port) {
        server();
        return start(TestDatabase.jdbcUrl(), 30_000, c -> c.withRateLimitRps(0));
    }

    /** A server on the given database with the given node TTL; the caller closes it. */
    public static GalleyServer start(String jdbcUrl, long nodeTtlMs) {
        return start(jdbcUrl, nodeTtlMs, c -> c);
    }

    public static GalleyServer start(String jdbcUrl, long nodeTtlMs, java.util.function.UnaryOperator<ServerConfig> tweak) {
        return start(jdbcUrl, nodeTtlMs, tweak, List.of());
    }

    /** A server with extensions (the console module's tests); the caller closes it. */
    public static GalleyServer start(String jdbcUrl, long nodeTtlMs, java.util.function.UnaryOperator<ServerConfig> tweak,
                                     List<dev.galley.server.extension.ServerExtension> extensions) {
        if (contract == null) contract = OpenApiContract.load();
        try {
            Path dataDir = Files.createTempDirectory("galley-test");
            ServerConfig config = ServerConfig.fromEnvironment(Map.of())
                    .withHttpPort(0)
                    .withDataDir(dataDir)
                    .withNodeTtlMs(nodeTtlMs)
                    .withDatabase(jdbcUrl, null, null)
                    .withBootstrapKey(OPERATOR_KEY)
                    .withMasterKey(MASTER_KEY);
            return GalleyServer.start(tweak.apply(config), extensions);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server().port());
    }

    public static GalleyClient client(String keyPair) {
        return new GalleyClient(baseUrl(), ApiKeyPair.parse(keyPair));
    }

    public static GalleyClient client(GalleyServer on, String keyPair) {
        return new GalleyClient(URI.create("http://127.0.0.1:" + on.port()), ApiKeyPair.parse(keyPair));
    }

    public static GalleyClient operator() {
        return client(OPERATOR_KEY);
    }

    /** Sends a signed request and checks the response against the OpenAPI contract. */
    public static ApiResponse call(GalleyClient client, String method, String pathWithQuery, String jsonBody) {
        return call(client, method, pathWithQuery, jsonBody, Map.of());
    }

    public static ApiResponse call(GalleyClient client, String method, String pathWithQuery, String jsonBody, Map<String, String> headers) {
        byte[] body = jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
        ApiResponse r = client.send(method, pathWithQuery, body, headers);
        assertThat(r.header("X-Request-Id")).as("every response carries X-Request-Id").isPresent();
        if (r.status() >= 500) throw new AssertionError("server error " + r.status() + ": " + r.bodyText());
        String path = pathWithQuery.contains("?") ? pathWithQuery.substring(0, pathWithQuery.indexOf('?')) : pathWithQuery;
        contract.assertResponseMatches(method, path, r.status(), r.status() == 204 ? null : r.bodyText());
        return r;
    }

    /** A fresh account with a compute_consumer key, so tests never see each other's data. */
    public static Tenant newTenant() {
        return newTenant(List.of("preset:compute_consumer"));
    }

    public static Tenant newTenant(List<String> permissions) {
        return newTenant(server(), permissions);
    }

    /** A fresh account on the given server (e.g. an isolated cluster's). */
    public static Tenant newTenant(GalleyServer on, List<String> permissions) {
        GalleyClient op = client(on, OPERATOR_KEY);
        String name = "acct-" + UUID.randomUUID();
        JsonNode account = ok(call(op, "POST", "/v1/accounts", "{\"name\":\"" + name + "\"}"), 201);
        String accountUuid = account.get("uuid").asText();
        var body = dev.galley.server.http.Json.object().put("name", "test key").put("account_uuid", accountUuid);
        var perms = body.putArray("permissions");
        permissions.forEach(perms::add);
        JsonNode key = ok(call(op, "POST", "/v1/api-keys", body.toString()), 201);
        String pair = key.get("public_key").asText() + ":" + key.get("secret_key").asText();
        return new Tenant(UUID.fromString(accountUuid), pair, client(on, pair));
    }

    public record Tenant(UUID accountUuid, String keyPair, GalleyClient client) {
        public ApiResponse call(String method, String path, String body) {
            return TestServer.call(client, method, path, body);
        }

        public JsonNode ok(String method, String path, String body, int status) {
            return TestServer.ok(call(method, path, body), status);
        }
    }

    public static JsonNode ok(ApiResponse r, int expectedStatus) {
        assertThat(r.status()).as("status of %s", r.bodyText()).isEqualTo(expectedStatus);
        return r.status() == 204 ? null : r.json();
    }

    public static String randomHex(int chars) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < chars) sb.append(Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE));
        return sb.substring(0, chars);
    }
}
