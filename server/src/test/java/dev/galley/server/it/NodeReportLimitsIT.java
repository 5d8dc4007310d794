package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.config.TenantLimits;
import dev.galley.server.http.Json;
import dev.galley.server.it.TestServer.Tenant;
import dev.galley.server.nodes.NodeHandlers;
import dev.galley.server.nodes.NodeRegistration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §8, "nothing unbounded from one tenant", for what a node reports: the GPU models it may add to the
 * registry every tenant shares, and the size of what is stored on each registration and heartbeat. A server
 * and database of their own (the registry is global).
 */
class NodeReportLimitsIT {
    static final int LIMIT = TenantLimits.DEFAULT_MAX_NEW_GPU_MODELS_PER_NODE;
    static GalleyServer server;
    static Tenant provider;
    static Tenant reader;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        reader = TestServer.newTenant(server, List.of("preset:compute_consumer"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode registration(String name, List<String> gpuNames) {
        ObjectNode body = Json.object().put("name", name).put("region_code", "sa-east-1").put("agent_version", "sim-1");
        ObjectNode hw = body.putObject("hardware");
        hw.putArray("cpus").addObject().put("name", "Sim CPU").put("num_cores", 0);
        hw.putArray("rams").addObject().put("memory_gb_max", 0).put("memory_gb_available", 0);
        ArrayNode gpus = hw.putArray("gpus");
        for (String g : gpuNames) gpus.addObject().put("name", g).put("vram_gb_max", 16);
        return body;
    }

    static int registryMatching(String prefix) {
        return ok(reader.call("GET", "/v1/gpu-registry?filter[name]=" + prefix + "&limit=50", null), 200).get("total").asInt();
    }

    static List<String> fields(ApiResponse r) {
        return ok(r, 400).get("error").get("errors").findValuesAsText("field");
    }

    @Test
    void aNodeReportingFiftyUnknownGpuModelsAddsNone() {
        GalleyClient key = SimulatedNode.nodeKey(server, provider);
        List<String> flood = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "Flood GPU " + i).toList();
        ApiResponse r = TestServer.call(key, "POST", "/v1/nodes/register", registration("flooder", flood).toString());
        List<String> refused = fields(r);
        assertThat(refused).hasSize(50 - LIMIT).contains("hardware.gpus[" + LIMIT + "].name", "hardware.gpus[49].name")
                .doesNotContain("hardware.gpus[0].name");
        assertThat(r.json().get("error").get("errors").get(0).get("message").asText()).contains("at most " + LIMIT);
        assertThat(registryMatching("Flood GPU")).as("nothing is half written: the registration was refused whole").isZero();
        assertThat(ok(TestServer.call(key, "GET", "/v1/nodes?filter[name]=flooder", null), 200).get("total").asInt()).isZero();

        // Within the limit the models are added, once; the same names again cost nothing more.
        List<String> few = flood.subList(0, LIMIT);
        assertThat(TestServer.call(key, "POST", "/v1/nodes/register", registration("flooder", few).toString()).status()).isEqualTo(201);
        assertThat(registryMatching("Flood GPU")).isEqualTo(LIMIT);
        assertThat(TestServer.call(key, "POST", "/v1/nodes/register", registration("flooder", few).toString()).status()).isEqualTo(200);

        // The limit is over the node's lifetime: one more new name is refused, a known one is fine.
        List<String> oneMore = new java.util.ArrayList<>(few);
        oneMore.add("Flood GPU 49");
        assertThat(fields(TestServer.call(key, "POST", "/v1/nodes/register", registration("flooder", oneMore).toString())))
                .containsExactly("hardware.gpus[" + LIMIT + "].name");
        List<String> withKnown = new java.util.ArrayList<>(few);
        withKnown.add("NVIDIA H100 80GB HBM3");
        assertThat(TestServer.call(key, "POST", "/v1/nodes/register", registration("flooder", withKnown).toString()).status()).isEqualTo(200);
        assertThat(registryMatching("Flood GPU")).isEqualTo(LIMIT);

        // Another node has a budget of its own, and a model one node added is known to the others.
        GalleyClient other = SimulatedNode.nodeKey(server, provider);
        assertThat(TestServer.call(other, "POST", "/v1/nodes/register",
                registration("other", List.of("Flood GPU 0", "Flood GPU 48")).toString()).status()).isEqualTo(201);
        assertThat(registryMatching("Flood GPU")).isEqualTo(LIMIT + 1);
    }

    @Test
    void gpuNamesAreHeldToWhatRealToolsPrint() {
        GalleyClient key = SimulatedNode.nodeKey(server, provider);
        List<String> bad = List.of("x".repeat(101), "GPU<script>", "GPU\nname", " ");
        assertThat(fields(TestServer.call(key, "POST", "/v1/nodes/register", registration("odd", bad).toString())))
                .containsExactly("hardware.gpus[0].name", "hardware.gpus[1].name", "hardware.gpus[2].name", "hardware.gpus[3].name");
    }

    @Test
    void hardwareAndHeartbeatMetadataAreHeldToASize() {
        GalleyClient key = SimulatedNode.nodeKey(server, provider);
        ObjectNode big = registration("big", List.of());
        ((ObjectNode) big.get("hardware").get("cpus").get(0)).put("name", "c".repeat(NodeRegistration.MAX_HARDWARE_BYTES));
        assertThat(fields(TestServer.call(key, "POST", "/v1/nodes/register", big.toString()))).containsExactly("hardware");

        String node = ok(TestServer.call(key, "POST", "/v1/nodes/register", registration("big", List.of()).toString()), 201).get("uuid").asText();
        ObjectNode beat = Json.object();
        beat.putObject("metadata").put("cpu_load", 0.5).put("junk", "j".repeat(NodeHandlers.MAX_METADATA_BYTES));
        assertThat(fields(TestServer.call(key, "POST", "/v1/nodes/" + node + "/heartbeat", beat.toString()))).containsExactly("metadata");
        JsonNode stored = ok(TestServer.call(key, "GET", "/v1/nodes/" + node, null), 200).get("latest_hardware_event");
        assertThat(stored == null || stored.isNull()).as("nothing of the refused heartbeat was stored").isTrue();
    }
}
