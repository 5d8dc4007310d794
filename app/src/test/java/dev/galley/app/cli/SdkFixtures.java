package dev.galley.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.Galley;
import dev.galley.client.RetryPolicy;
import dev.galley.server.it.TestServer;
import java.net.URI;
import java.time.Duration;

/** Shared bodies and connections for the SDK and CLI tests. */
final class SdkFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private SdkFixtures() {}

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A BATCH job spec nobody can run in these tests (no nodes), so jobs stay PENDING. */
    static ObjectNode jobSpec(String title) {
        return (ObjectNode) json("""
                {"title": "%s", "task": "BATCH", "cpu_count": 1, "max_timeout_run_ms": 600000,
                 "parameters": {"type": "docker", "parameters": {"image": "busybox", "env": {"MODE": "slow"}}}}"""
                .formatted(title));
    }

    /** A recipe with one required string input and one number input with a default. */
    static ObjectNode recipe(String name) {
        return (ObjectNode) json("""
                {"name": "%s", "visibility": "PRIVATE",
                 "payload": {"title": "render {{scene}}", "task": "BATCH", "max_timeout_run_ms": 600000,
                   "parameters": {"parameters": {"image": "busybox", "env": {"SCENE": "{{scene}}", "FRAMES": "{{frames}}", "MODE": "slow"}}}},
                 "input_schema": [{"key": "scene", "type": "string", "required": true},
                                  {"key": "frames", "type": "number", "default_value": 10}]}"""
                .formatted(name));
    }

    static Galley galley(TestServer.Tenant tenant) {
        return galley(TestServer.baseUrl(), tenant);
    }

    /** Fast retries, so the fault tests do not spend their time sleeping. */
    static Galley galley(URI url, TestServer.Tenant tenant) {
        return Galley.builder(url, ApiKeyPair.parse(tenant.keyPair()))
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5)))
                .build();
    }
}
