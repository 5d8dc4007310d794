package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the node protocol: every field named, never a 500; and nodes act only for their own account. */
class NodeProtocolErrorsIT {
    static dev.galley.server.GalleyServer server;
    static Tenant owner;
    static GalleyClient nodeKey;
    static SimulatedNode node;

    @BeforeAll
    static void setUp() {
        // A server of its own: on the shared one, other classes' waiting jobs would land on this node.
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        owner = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        nodeKey = SimulatedNode.nodeKey(server, owner);
        node = SimulatedNode.register(nodeKey, "errors-node", "me-south-1", 1, 1, 1, List.of()).keepAlive();
    }

    @org.junit.jupiter.api.AfterAll
    static void tearDown() {
        node.fallSilent();
        server.close();
    }

    static List<String> fields(ApiResponse r) {
        JsonNode err = ok(r, 400).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request");
        return err.get("errors").findValuesAsText("field");
    }

    @Test
    void registerNamesEveryBadField() {
        ApiResponse r = TestServer.call(nodeKey, "POST", "/v1/nodes/register", """
                {"name":"","region_code":"mars-1","colour":"red",
                 "hardware":{"cpus":[{"name":"x","num_cores":-2}],"rams":[{"memory_gb_max":"lots"}],
                             "gpus":[{"vram_gb_max":24}],"hard_drives":"none","fans":[]}}""");
        assertThat(fields(r)).contains("name", "region_code", "colour", "hardware.cpus[0].num_cores",
                "hardware.rams[0].memory_gb_max", "hardware.gpus[0].name", "hardware.hard_drives", "hardware.fans");
        assertThat(fields(TestServer.call(nodeKey, "POST", "/v1/nodes/register", "{\"name\":\"n\",\"region_code\":\"eu-west-1\"}")))
                .contains("hardware");
    }

    @Test
    void registerNeedsANodeKey() {
        ApiResponse r = TestServer.call(owner.client(), "POST", "/v1/nodes/register",
                "{\"name\":\"n\",\"region_code\":\"eu-west-1\",\"hardware\":{}}");
        assertThat(ok(r, 403).get("error").get("message").asText()).contains("nodes.update");
    }

    @Test
    void heartbeatAndPollRejectBadInput() {
        assertThat(fields(TestServer.call(nodeKey, "POST", "/v1/nodes/" + node.uuid + "/heartbeat",
                "{\"metadata\":\"hot\",\"active_run_uuids\":[\"nope\"],\"extra\":1}")))
                .contains("metadata", "active_run_uuids[0]", "extra");
        for (String wait : List.of("-1", "60001", "soon")) {
            assertThat(fields(TestServer.call(nodeKey, "GET", "/v1/nodes/" + node.uuid + "/assignments?wait_ms=" + wait, null)))
                    .contains("wait_ms");
        }
        assertThat(fields(TestServer.call(nodeKey, "GET", "/v1/nodes/" + node.uuid + "/assignments?wait=1", null))).contains("wait");
    }

    @Test
    void anotherAccountsNodeIsNotFound() {
        Tenant other = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        GalleyClient otherKey = SimulatedNode.nodeKey(server, other);
        assertThat(TestServer.call(otherKey, "POST", "/v1/nodes/" + node.uuid + "/heartbeat", "{}").status()).isEqualTo(404);
        assertThat(TestServer.call(otherKey, "GET", "/v1/nodes/" + node.uuid + "/assignments?wait_ms=0", null).status()).isEqualTo(404);
        assertThat(TestServer.call(otherKey, "GET", "/v1/nodes/" + node.uuid, null).status()).isEqualTo(404);
        assertThat(TestServer.call(nodeKey, "POST", "/v1/nodes/not-a-uuid/heartbeat", "{}").status()).isEqualTo(404);
    }

    @Test
    void runUpdatesAndLogUploadsRejectBadInput() {
        String job = owner.ok("POST", "/v1/jobs", """
                {"title":"e","task":"BATCH","max_timeout_run_ms":60000,"allowed_region_codes":["me-south-1"],
                 "parameters":{"parameters":{"image":"busybox"}}}""", 201).get("uuid").asText();
        JsonNode a = node.next(10_000);
        assertThat(a.at("/job_run/job_uuid").asText()).isEqualTo(job);
        String run = a.at("/job_run/uuid").asText();
        assertThat(fields(node.report(run, """
                {"status":"RUNNING","status_reason_code":"BORED","exit_code":1.5,"image_size_bytes":-1,
                 "node_urls":[{"description":"","hostname":"h","port":70000,"protocol":"tcp","tls":"no","x":1}]}""")))
                .contains("status_reason_code", "exit_code", "image_size_bytes", "node_urls[0].description",
                        "node_urls[0].port", "node_urls[0].tls", "node_urls[0].x");
        assertThat(fields(node.report(run, "{}"))).contains("status");
        ApiResponse huge = TestServer.call(nodeKey, "POST", "/v1/job-runs/" + run + "/logs", "x".repeat(256 * 1024 + 1),
                Map.of("Content-Type", "text/plain"));
        assertThat(ok(huge, 413).get("error").get("type").asText()).isEqualTo("payload_too_large");
        assertThat(fields(owner.call("GET", "/v1/job-runs/" + run + "/logs?follow=maybe", null))).contains("follow");
        node.reportOk(run, "{\"status\":\"RUNNING\"}");
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
    }

    @Test
    void jobRunListsRejectBadParameters() {
        for (String q : List.of("filter[status]=DANCING", "filter[job_uuid]=x", "limit=100", "filter[exit_code]=1")) {
            String param = q.substring(0, q.indexOf('='));
            assertThat(fields(owner.call("GET", "/v1/job-runs?" + q, null))).as(q).contains(param);
        }
        assertThat(ok(owner.call("GET", "/v1/job-runs/" + java.util.UUID.randomUUID() + "/logs?follow=true", null), 404)
                .get("error").get("type").asText()).isEqualTo("not_found");
    }
}
