package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import dev.galley.server.config.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reputation over HTTP (spec §10): a node that loses a run falls below 50, one that completes runs rises above it,
 * and of two otherwise equal nodes placement picks the more reputable, even when the node uuid (the last tie-break)
 * would pick the other. A cluster of its own: node TTL 2 s, reputations brought up to date every second.
 */
class ReputationIT {
    static GalleyServer server;
    static Tenant provider;
    static Tenant consumer;
    static GalleyClient operator;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh(), 2_000, c -> c.withProviders(ProviderSettings.fromEnvironment(
                Map.of("GALLEY_REPUTATION_INTERVAL", "PT1S"), 2_000)));
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer", "nodes.read.own"));
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        operator = TestServer.client(server, TestServer.OPERATOR_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String cook() {
        return consumer.ok("POST", "/v1/jobs", """
                {"title":"rep","task":"BATCH","cpu_count":2,"max_timeout_run_ms":600000,"max_retry_count":0,
                 "allowed_region_codes":["eu-west-1"],"parameters":{"parameters":{"image":"busybox"}}}""", 201).get("uuid").asText();
    }

    static double reputation(SimulatedNode n) {
        return ok(TestServer.call(provider.client(), "GET", "/v1/nodes/" + n.uuid, null), 200).get("reputation").asDouble();
    }

    @Test
    void aNodeThatLostARunRanksBelowOneThatCompletedThemAndPlacementPicksTheReputableOne() {
        SimulatedNode a = SimulatedNode.register(SimulatedNode.nodeKey(server, provider), "a", "eu-west-1", 4, 32, 200,
                SimulatedNode.noGpus()).keepAlive();
        SimulatedNode b = SimulatedNode.register(SimulatedNode.nodeKey(server, provider), "b", "eu-west-1", 4, 32, 200,
                SimulatedNode.noGpus()).keepAlive();
        // The uuid breaks ties last, the lower first: the lower one is made the less reputable, so only reputation
        // can make placement choose the other.
        SimulatedNode unreliable = UUID.fromString(a.uuid).compareTo(UUID.fromString(b.uuid)) < 0 ? a : b;
        SimulatedNode reliable = unreliable == a ? b : a;
        assertThat(reputation(unreliable)).as("a new node").isEqualTo(50.0);

        // Equal reputations: the first job goes to the lower uuid. That node then goes silent mid-run: NODE_LOST.
        cook();
        JsonNode lost = unreliable.next(10_000);
        String lostRun = lost.at("/job_run/uuid").asText();
        unreliable.reportOk(lostRun, "{\"status\":\"PREPARING\"}");
        unreliable.reportOk(lostRun, "{\"status\":\"RUNNING\"}");
        unreliable.fallSilent();
        await().atMost(Duration.ofSeconds(20)).until(() -> ok(TestServer.call(consumer.client(), "GET", "/v1/job-runs/" + lostRun, null), 200)
                .get("status_reason_code").asText("").equals("NODE_LOST"));

        // Meanwhile the other node completes two runs, and the lost run's retry if it gets one: nothing is left
        // waiting for a node before the last job is cooked.
        cook();
        cook();
        int completed = 0;
        for (int polls = 0; polls < 30; polls++) {
            JsonNode assignments = reliable.poll(1_000);
            if (assignments.isEmpty() && completed >= 2) break;
            for (JsonNode assignment : assignments) {
                reliable.runToExit(assignment, 0);
                completed++;
            }
        }
        assertThat(completed).isGreaterThanOrEqualTo(2);
        unreliable.keepAlive();
        await().atMost(Duration.ofSeconds(20)).until(() -> ok(TestServer.call(operator, "GET", "/v1/nodes/" + unreliable.uuid, null), 200)
                .get("status").asText().equals("ONLINE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> reputation(unreliable) < 50 && reputation(reliable) > 50);

        String third = cook();
        assertThat(reliable.next(10_000).at("/job_run/job_uuid").asText()).as("the more reputable of two equal nodes").isEqualTo(third);
        assertThat(unreliable.poll(0)).isEmpty();
    }
}
