package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PATCH /v1/nodes/{uuid}: a DRAINING node keeps its runs and gets no new ones, and takes work again once resumed;
 * who may drain which node; what an OFFLINE node and bad bodies get. On a cluster of its own (node TTL 5 s).
 */
class NodeDrainIT {
    static GalleyServer server;
    static Tenant provider;
    static Tenant consumer;
    static GalleyClient operator;

    @BeforeAll
    static void start() {
        // A short node TTL for the OFFLINE case, long enough that a loaded machine's late heartbeat loses no live node.
        server = TestServer.start(TestDatabase.fresh(), 5_000);
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        operator = TestServer.client(server, TestServer.OPERATOR_KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SimulatedNode node(String name, String region, int cores) {
        return SimulatedNode.register(SimulatedNode.nodeKey(server, provider), name, region, cores, 64, 500, List.of()).keepAlive();
    }

    static ApiResponse setStatus(GalleyClient key, String node, String status) {
        return TestServer.call(key, "PATCH", "/v1/nodes/" + node, "{\"status\":\"" + status + "\"}");
    }

    static String cook(String region) {
        return consumer.ok("POST", "/v1/jobs", """
                {"title":"drain","task":"BATCH","cpu_count":2,"max_timeout_run_ms":600000,"allowed_region_codes":["%s"],
                 "parameters":{"parameters":{"image":"busybox"}}}""".formatted(region), 201).get("uuid").asText();
    }

    @Test
    void aDrainedNodeKeepsItsRunGetsNoNewOneAndTakesWorkAgainOnceResumed() {
        // The tightest fit for a 2-core job is the 4-core node, while it takes work.
        SimulatedNode small = node("small", "eu-west-1", 4);
        SimulatedNode big = node("big", "eu-west-1", 16);
        cook("eu-west-1");
        String running = small.next(10_000).at("/job_run/uuid").asText();
        small.reportOk(running, "{\"status\":\"PREPARING\"}");
        small.reportOk(running, "{\"status\":\"RUNNING\"}");

        JsonNode drained = ok(setStatus(small.client, small.uuid, "DRAINING"), 200);
        assertThat(drained.get("status").asText()).isEqualTo("DRAINING");
        String second = cook("eu-west-1");
        assertThat(big.next(10_000).at("/job_run/job_uuid").asText()).as("the new job passes the drained node by").isEqualTo(second);
        assertThat(small.poll(0)).isEmpty();

        assertThat(small.heartbeat(List.of(running))).as("its run is not stopped").isEmpty();
        small.log(running, "still going\n");
        small.reportOk(running, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        assertThat(ok(TestServer.call(small.client, "GET", "/v1/nodes/" + small.uuid, null), 200).get("status").asText())
                .as("heartbeats keep it DRAINING").isEqualTo("DRAINING");
        SimulatedNode.register(small.client, "small", "eu-west-1", 4, 64, 500, List.of());
        assertThat(ok(TestServer.call(small.client, "GET", "/v1/nodes/" + small.uuid, null), 200).get("status").asText())
                .as("re-registering keeps it DRAINING").isEqualTo("DRAINING");

        assertThat(ok(setStatus(small.client, small.uuid, "ONLINE"), 200).get("status").asText()).isEqualTo("ONLINE");
        String third = cook("eu-west-1");
        assertThat(small.next(10_000).at("/job_run/job_uuid").asText()).as("resumed, it is the tightest fit again").isEqualTo(third);
    }

    @Test
    void theNodesKeyAKeyOfItsAccountAndOperatorsMayDrainItNoOtherKeyMay() {
        SimulatedNode node = node("guarded", "eu-west-2", 2);
        SimulatedNode sibling = node("sibling", "eu-west-2", 2);
        GalleyClient outsider = SimulatedNode.nodeKey(server, consumer);
        GalleyClient unboundKeyOfTheAccount = SimulatedNode.nodeKey(server, provider);

        assertThat(setStatus(provider.client(), node.uuid, "DRAINING").status()).as("no nodes.update").isEqualTo(403);
        assertThat(setStatus(outsider, node.uuid, "DRAINING").status()).as("another account's key").isEqualTo(404);
        assertThat(setStatus(sibling.client, node.uuid, "DRAINING").status()).as("a key bound to another node").isEqualTo(404);
        assertThat(ok(TestServer.call(operator, "GET", "/v1/nodes/" + node.uuid, null), 200).get("status").asText())
                .as("none of them changed it").isEqualTo("ONLINE");

        assertThat(ok(setStatus(node.client, node.uuid, "DRAINING"), 200).get("status").asText()).isEqualTo("DRAINING");
        assertThat(ok(setStatus(unboundKeyOfTheAccount, node.uuid, "ONLINE"), 200).get("status").asText()).isEqualTo("ONLINE");
        assertThat(ok(setStatus(operator, node.uuid, "DRAINING"), 200).get("status").asText()).isEqualTo("DRAINING");
        assertThat(TestServer.call(node.client, "POST", "/v1/nodes/" + node.uuid + "/heartbeat", "{}").status())
                .as("the node keeps its own key").isEqualTo(200);
    }

    @Test
    void drainingBindsNoKeyToANodeThatHasNone() {
        // Registered by an operator key, the node is bound to no key; the first key of its account to act as it takes it.
        String legacy = ok(TestServer.call(operator, "POST", "/v1/nodes/register",
                NodeKeyBindingIT.registration("unbound", "eu-west-3")), 201).get("uuid").asText();
        var account = java.util.UUID.fromString(ok(TestServer.call(operator, "GET", "/v1/nodes/" + legacy, null), 200)
                .get("account_uuid").asText());
        GalleyClient drainer = TestServer.client(server, mintNodeKey(account));
        GalleyClient agent = TestServer.client(server, mintNodeKey(account));

        assertThat(ok(setStatus(drainer, legacy, "DRAINING"), 200).get("status").asText()).isEqualTo("DRAINING");
        assertThat(TestServer.call(agent, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status())
                .as("still unbound: the agent's key takes it").isEqualTo(200);
        assertThat(TestServer.call(drainer, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status())
                .as("the node is the agent's now").isEqualTo(404);
        assertThat(ok(setStatus(drainer, legacy, "ONLINE"), 200).get("status").asText())
                .as("a key of its account bound to no node still manages it").isEqualTo("ONLINE");
    }

    @Test
    void anOfflineNodeComesBackOnlyByHeartbeat() {
        SimulatedNode node = node("sleepy", "eu-north-1", 2);
        node.fallSilent();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(ok(TestServer.call(operator, "GET", "/v1/nodes/" + node.uuid, null), 200).get("status").asText())
                        .isEqualTo("OFFLINE"));

        JsonNode error = ok(setStatus(operator, node.uuid, "ONLINE"), 409).get("error");
        assertThat(error.get("message").asText()).contains("OFFLINE").contains("heartbeat");
        assertThat(setStatus(node.client, node.uuid, "DRAINING").status()).isEqualTo(409);
        assertThat(ok(TestServer.call(operator, "GET", "/v1/nodes/" + node.uuid, null), 200).get("status").asText()).isEqualTo("OFFLINE");

        node.heartbeat(List.of());
        assertThat(ok(setStatus(node.client, node.uuid, "DRAINING"), 200).get("status").asText()).isEqualTo("DRAINING");
    }

    @Test
    void settingTheSameStatusChangesNothingAndBadBodiesAreRefused() {
        SimulatedNode node = node("steady", "eu-south-1", 2);
        JsonNode first = ok(setStatus(node.client, node.uuid, "DRAINING"), 200);
        JsonNode again = ok(setStatus(node.client, node.uuid, "DRAINING"), 200);
        assertThat(again.get("updated_at").asText()).isEqualTo(first.get("updated_at").asText());

        JsonNode offline = ok(setStatus(node.client, node.uuid, "OFFLINE"), 400).get("error");
        assertThat(offline.at("/errors/0/field").asText()).isEqualTo("status");
        assertThat(offline.at("/errors/0/message").asText()).contains("DRAINING or ONLINE");
        assertThat(ok(TestServer.call(node.client, "PATCH", "/v1/nodes/" + node.uuid, "{}"), 400).at("/error/errors/0/message").asText())
                .isEqualTo("is required");
        assertThat(ok(TestServer.call(node.client, "PATCH", "/v1/nodes/" + node.uuid, "{\"status\":\"ONLINE\",\"name\":\"x\"}"), 400)
                .at("/error/errors/0/field").asText()).isEqualTo("name");
        assertThat(TestServer.call(node.client, "PATCH", "/v1/nodes/not-a-uuid", "{\"status\":\"ONLINE\"}").status()).isEqualTo(404);
        assertThat(ok(TestServer.call(operator, "GET", "/v1/nodes/" + node.uuid, null), 200).get("status").asText()).isEqualTo("DRAINING");
    }

    @Test
    void theListFiltersByUuidOnlyWithinTheNodesTheCallerMaySee() {
        SimulatedNode a = node("listed-a", "ap-east-1", 1);
        SimulatedNode b = node("listed-b", "ap-east-1", 1);
        Tenant other = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        SimulatedNode foreign = SimulatedNode.register(SimulatedNode.nodeKey(server, other), "foreign", "ap-east-1", 1, 1, 1, List.of());

        assertThat(listed(a.client, "filter[uuid]=" + a.uuid)).containsExactly(a.uuid);
        assertThat(listed(a.client, "filter[uuid]=" + a.uuid + "," + b.uuid)).containsExactlyInAnyOrder(a.uuid, b.uuid);
        assertThat(listed(a.client, "filter[uuid]=" + b.uuid.toUpperCase() + ",%20" + a.uuid)).as("any case, spaces around commas")
                .containsExactlyInAnyOrder(a.uuid, b.uuid);
        assertThat(listed(a.client, "filter[uuid]=" + a.uuid + "&filter[name]=listed-b")).as("filters combine with AND").isEmpty();

        // Another account's node is not there for this key, alone or next to its own, and is told apart from no node at all
        // by nothing: the same empty page as a uuid nobody has. Nor does that account learn of this one's.
        JsonNode foreignAlone = ok(TestServer.call(a.client, "GET", "/v1/nodes?filter[uuid]=" + foreign.uuid, null), 200);
        JsonNode nobody = ok(TestServer.call(a.client, "GET", "/v1/nodes?filter[uuid]=" + java.util.UUID.randomUUID(), null), 200);
        assertThat(foreignAlone.get("total").asInt()).isZero();
        assertThat(foreignAlone.get("data")).isEmpty();
        assertThat(foreignAlone).isEqualTo(nobody);
        assertThat(listed(a.client, "filter[uuid]=" + foreign.uuid + "," + a.uuid)).containsExactly(a.uuid);
        assertThat(listed(foreign.client, "filter[uuid]=" + a.uuid + "," + b.uuid)).isEmpty();
        assertThat(listed(foreign.client, "filter[uuid]=" + a.uuid + "," + foreign.uuid)).containsExactly(foreign.uuid);
        // An operator (nodes.read.all) sees every account's.
        assertThat(listed(operator, "filter[uuid]=" + a.uuid + "," + foreign.uuid)).containsExactlyInAnyOrder(a.uuid, foreign.uuid);

        // A malformed filter is a 400 naming filter[uuid], never an empty page (which would read as "no such node").
        for (String bad : List.of("not-a-uuid", a.uuid + ",nope", a.uuid + ",", a.uuid.substring(1), "%20", a.uuid + "0")) {
            JsonNode error = ok(TestServer.call(a.client, "GET", "/v1/nodes?filter[uuid]=" + bad, null), 400).get("error");
            assertThat(error.get("type").asText()).as(bad).isEqualTo("invalid_request");
            assertThat(error.at("/errors/0/field").asText()).as(bad).isEqualTo("filter[uuid]");
            assertThat(error.at("/errors/0/message").asText()).as(bad).isIn("must be a UUID or a comma list of UUIDs", "must not be empty");
        }
        JsonNode twice = ok(TestServer.call(a.client, "GET", "/v1/nodes?filter[uuid]=" + a.uuid + "&filter[uuid]=" + b.uuid, null), 400);
        assertThat(twice.at("/error/errors/0/field").asText()).isEqualTo("filter[uuid]");
        assertThat(twice.at("/error/errors/0/message").asText()).isEqualTo("must be given once");
    }

    /** The uuids of the nodes {@code key} lists with this query; the page's total must agree with them. */
    static List<String> listed(GalleyClient key, String query) {
        JsonNode page = ok(TestServer.call(key, "GET", "/v1/nodes?" + query, null), 200);
        List<String> uuids = new java.util.ArrayList<>();
        page.get("data").forEach(n -> uuids.add(n.get("uuid").asText()));
        assertThat(page.get("total").asInt()).as("total of %s", query).isEqualTo(uuids.size());
        return uuids;
    }

    static String mintNodeKey(java.util.UUID account) {
        JsonNode key = ok(TestServer.call(operator, "POST", "/v1/api-keys",
                "{\"name\":\"node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + account + "\"}"), 201);
        return key.get("public_key").asText() + ":" + key.get("secret_key").asText();
    }
}
