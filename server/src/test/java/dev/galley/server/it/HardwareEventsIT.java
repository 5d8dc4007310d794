package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.core.providers.HardwareEventRetention;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hardware events over HTTP (spec §10): the heartbeat's load sample is kept at most once per telemetry interval,
 * never in the future, deleted after the retention; bad samples are 400s naming the field; who may read whose.
 * On a server of its own with a 10 s interval and a 30 s retention.
 */
class HardwareEventsIT {
    static GalleyServer server;
    static Tenant provider;
    static Tenant stranger;
    static GalleyClient operator;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh(), 30_000, c -> c.withProviders(c.providers().withTelemetry(
                new HardwareEventRetention(Duration.ofSeconds(10), Duration.ofSeconds(30)))));
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer", "nodes.read.own"));
        stranger = TestServer.newTenant(server, List.of("preset:compute_consumer", "nodes.read.own"));
        operator = TestServer.client(server, TestServer.OPERATOR_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SimulatedNode node(String name) {
        return SimulatedNode.register(SimulatedNode.nodeKey(server, provider), name, "eu-west-1", 8, 32, 200, List.of());
    }

    static String sample(long timestampMs, double cpu) {
        return """
                {"metadata":{"hardware_event":{"timestamp_ms":%d,"cpu_percent":%s,"cpu_cores":8,"ram_used_gb":3.5,
                 "ram_total_gb":31.2,"disk_used_gb":10,"disk_total_gb":200,
                 "gpus":[{"index":0,"name":"NVIDIA GeForce RTX 4090","utilization_percent":87,"vram_used_gb":20.13,
                          "vram_total_gb":23.99,"temperature_c":64,"power_w":null}]}}}""".formatted(timestampMs, cpu);
    }

    static ApiResponse beat(SimulatedNode n, String body) {
        return TestServer.call(n.client, "POST", "/v1/nodes/" + n.uuid + "/heartbeat", body);
    }

    static List<Long> timestamps(GalleyClient c, String node, String query) {
        JsonNode page = ok(TestServer.call(c, "GET", "/v1/nodes/" + node + "/hardware-events" + query, null), 200);
        List<Long> out = new ArrayList<>();
        page.get("data").forEach(e -> out.add(e.get("timestamp_ms").asLong()));
        return out;
    }

    @Test
    void keepsOneSamplePerIntervalShowsTheNewestOnTheNodeAndSweepsThemAfterTheRetention() {
        SimulatedNode n = node("sampler");
        long now = System.currentTimeMillis();
        long s1 = now - 25_000, s2 = now - 20_000, s3 = now - 14_000;
        ok(beat(n, sample(s1, 10)), 200);
        ok(beat(n, sample(s2, 20)), 200); // 5 s after s1: too soon
        ok(beat(n, sample(s3, 30)), 200); // 11 s after s1: kept
        ok(beat(n, sample(s3, 30)), 200); // the agent repeats its latest sample in every heartbeat
        ok(beat(n, sample(now - 60_000, 40)), 200); // older than the retention: never stored
        ok(beat(n, "{}"), 200); // no sample: still a heartbeat

        assertThat(timestamps(provider.client(), n.uuid, "")).as("newest first").containsExactly(s3, s1);
        JsonNode event = ok(TestServer.call(provider.client(), "GET", "/v1/nodes/" + n.uuid + "/hardware-events", null), 200)
                .get("data").get(0);
        assertThat(event.get("object").asText()).isEqualTo("node_hardware_event");
        assertThat(event.get("node_uuid").asText()).isEqualTo(n.uuid);
        assertThat(event.get("cpu_percent").asDouble()).isEqualTo(30);
        assertThat(event.at("/gpus/0/utilization_percent").asDouble()).isEqualTo(87);
        assertThat(event.at("/gpus/0/power_w").isNull()).isTrue();
        JsonNode shown = ok(TestServer.call(provider.client(), "GET", "/v1/nodes/" + n.uuid, null), 200);
        assertThat(shown.get("latest_hardware_event")).as("the node shows its newest event").isEqualTo(event);

        assertThat(timestamps(provider.client(), n.uuid, "?filter[timestamp_ms]=" + (s1 + 1) + "," + now)).containsExactly(s3);
        assertThat(timestamps(provider.client(), n.uuid, "?filter[timestamp_ms]=" + s1)).containsExactly(s1);

        // s1 passes the 30 s retention about 5 s from now; the sweep (every interval) deletes it.
        await().atMost(Duration.ofSeconds(30)).until(() -> !timestamps(provider.client(), n.uuid, "").contains(s1));
    }

    @Test
    void aSampleFromTheFutureIsStoredAtItsReceiptAndCannotBlockLaterOnes() {
        SimulatedNode n = node("clock-ahead");
        long before = System.currentTimeMillis();
        ok(beat(n, sample(before + 3_600_000, 50)), 200);
        long after = System.currentTimeMillis();
        List<Long> kept = timestamps(provider.client(), n.uuid, "");
        assertThat(kept).hasSize(1);
        assertThat(kept.getFirst()).isBetween(before, after);
    }

    @Test
    void aMalformedSampleIsA400NamingTheFieldAndWritesNothing() {
        SimulatedNode n = node("malformed");
        ApiResponse r = beat(n, sample(System.currentTimeMillis(), 101));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("metadata.hardware_event.cpu_percent");
        r = beat(n, "{\"metadata\":{\"hardware_event\":{\"cpu_percent\":5}}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("metadata.hardware_event.timestamp_ms");
        r = beat(n, "{\"metadata\":{\"hardware_event\":\"busy\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("metadata.hardware_event");
        assertThat(timestamps(provider.client(), n.uuid, "")).isEmpty();
        ok(beat(n, "{\"metadata\":{\"hardware_event\":null}}"), 200);

        r = TestServer.call(provider.client(), "GET", "/v1/nodes/" + n.uuid + "/hardware-events?filter[timestamp_ms]=soon", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("filter[timestamp_ms]");
    }

    @Test
    void anotherAccountsNodeIsA404AndOperatorsSeeEveryNode() {
        SimulatedNode n = node("private");
        ok(beat(n, sample(System.currentTimeMillis() - 1_000, 1)), 200);
        ApiResponse r = TestServer.call(stranger.client(), "GET", "/v1/nodes/" + n.uuid + "/hardware-events", null);
        assertThat(r.status()).isEqualTo(404);
        r = TestServer.call(stranger.client(), "GET", "/v1/nodes/" + java.util.UUID.randomUUID() + "/hardware-events", null);
        assertThat(r.status()).isEqualTo(404);
        r = TestServer.call(stranger.client(), "GET", "/v1/nodes/not-a-uuid/hardware-events", null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(timestamps(operator, n.uuid, "")).hasSize(1);
        assertThat(timestamps(n.client, n.uuid, "")).as("the node's own key reads them").hasSize(1);

        Tenant noNodes = TestServer.newTenant(server, List.of("jobs.read.own"));
        r = TestServer.call(noNodes.client(), "GET", "/v1/nodes/" + n.uuid + "/hardware-events", null);
        assertThat(r.status()).isEqualTo(403);
    }

}
