package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §8, "a node acts only on its own runs", written as the attack: a provider account runs two nodes, each
 * with its own compute_node key, and the key of node 1 goes after node 2's runs (and another account's).
 * Everything goes over signed HTTP to a server and database of its own.
 */
class NodeKeyBindingIT {
    static GalleyServer server;
    static Tenant provider;
    static Tenant consumer;
    static GalleyClient key1;
    static GalleyClient key2;
    static SimulatedNode node1;
    static SimulatedNode node2;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        key1 = SimulatedNode.nodeKey(server, provider);
        key2 = SimulatedNode.nodeKey(server, provider);
        node1 = SimulatedNode.register(key1, "node-1", "eu-west-1", 2, 8, 50, List.of()).keepAlive();
        node2 = SimulatedNode.register(key2, "node-2", "eu-west-2", 2, 8, 50, List.of()).keepAlive();
    }

    @AfterAll
    static void stop() {
        node1.fallSilent();
        node2.fallSilent();
        server.close();
    }

    /** A job of {@code owner} that only {@code region}'s node can take; returns its run as that node received it. */
    static String runOn(Tenant owner, SimulatedNode node, String region) {
        owner.ok("POST", "/v1/jobs", """
                {"title":"binding","task":"BATCH","max_timeout_run_ms":600000,"allowed_region_codes":["%s"],
                 "parameters":{"parameters":{"image":"busybox"}}}""".formatted(region), 201);
        String run = node.next(10_000).at("/job_run/uuid").asText();
        node.reportOk(run, "{\"status\":\"PREPARING\"}");
        return run;
    }

    static String error(ApiResponse r, int status) {
        return ok(r, status).get("error").get("message").asText();
    }

    @Test
    void aNodeKeyCannotReportOnOrWriteToARunOfAnotherNodeOfItsAccount() {
        String run2 = runOn(consumer, node2, "eu-west-2");

        assertThat(TestServer.call(key1, "PATCH", "/v1/job-runs/" + run2, "{\"status\":\"FAILED\",\"exit_code\":3}").status())
                .as("node 1 reports node 2's run").isEqualTo(404);
        assertThat(TestServer.call(key1, "POST", "/v1/job-runs/" + run2 + "/logs", "forged output\n", Map.of("Content-Type", "text/plain"))
                .status()).as("node 1 writes into node 2's run's output").isEqualTo(404);
        assertThat(TestServer.call(key1, "GET", "/v1/job-runs/" + run2, null).status()).as("node 1 reads node 2's run").isEqualTo(404);
        assertThat(TestServer.call(key1, "GET", "/v1/job-runs/" + run2 + "/logs", null).status()).isEqualTo(404);
        assertThat(ok(TestServer.call(key1, "GET", "/v1/job-runs?filter[uuid]=" + run2, null), 200).get("total").asInt())
                .as("node 1 lists node 2's run").isZero();
        assertThat(TestServer.call(key1, "POST", "/v1/nodes/" + node2.uuid + "/heartbeat", "{}").status()).isEqualTo(404);
        assertThat(TestServer.call(key1, "GET", "/v1/nodes/" + node2.uuid + "/assignments?wait_ms=0", null).status()).isEqualTo(404);

        // The owner node still works, and nothing node 1 sent reached the run.
        node2.reportOk(run2, "{\"status\":\"RUNNING\"}");
        node2.log(run2, "real output\n");
        JsonNode run = consumer.ok("GET", "/v1/job-runs/" + run2, null, 200);
        assertThat(run.get("status").asText()).isEqualTo("RUNNING");
        assertThat(run.get("logs").asText()).isEqualTo("real output\n");
        assertThat(ok(TestServer.call(key2, "GET", "/v1/job-runs?filter[uuid]=" + run2, null), 200).get("total").asInt()).isOne();
        node2.reportOk(run2, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
    }

    @Test
    void aHeartbeatHearsNothingAboutRunsOfOtherNodesOrOtherAccounts() {
        // A finished run of node 2, and one of another provider's node: both carry a reason a node would be told.
        String run2 = runOn(consumer, node2, "eu-west-2");
        node2.reportOk(run2, "{\"status\":\"FAILED\",\"exit_code\":1,\"status_reason\":\"node 2's secret reason\"}");
        Tenant otherProvider = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        SimulatedNode foreign = SimulatedNode.register(SimulatedNode.nodeKey(server, otherProvider), "foreign", "eu-west-3",
                2, 8, 50, List.of()).keepAlive();
        String foreignRun = runOn(consumer, foreign, "eu-west-3");
        foreign.reportOk(foreignRun, "{\"status\":\"FAILED\",\"exit_code\":1,\"status_reason\":\"another account's reason\"}");
        foreign.fallSilent();

        assertThat(node1.heartbeat(List.of(run2, foreignRun))).as("node 1 names runs that are not its own").isEmpty();
        // The positive control: the node that ran it is told to stop a run it still reports.
        JsonNode commands = node2.heartbeat(List.of(run2));
        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).get("job_run_uuid").asText()).isEqualTo(run2);
        assertThat(commands.get(0).get("reason").asText()).isEqualTo("node 2's secret reason");
    }

    @Test
    void aKeyRegistersOneNodeAndReRegisteringItIsIdempotent() {
        ApiResponse again = TestServer.call(key1, "POST", "/v1/nodes/register", registration("node-1", "eu-west-1"));
        assertThat(ok(again, 200).get("uuid").asText()).as("the same node, the same key").isEqualTo(node1.uuid);

        String message = error(TestServer.call(key1, "POST", "/v1/nodes/register", registration("node-3", "eu-west-1")), 409);
        assertThat(message).contains("already bound to node 'node-1'").contains("one compute_node key per node");
        assertThat(ok(TestServer.call(key1, "GET", "/v1/nodes?filter[name]=node-3", null), 200).get("total").asInt())
                .as("no node was created").isZero();

        // Another key of the same account cannot take over a node whose key is still valid...
        GalleyClient thief = SimulatedNode.nodeKey(server, provider);
        assertThat(error(TestServer.call(thief, "POST", "/v1/nodes/register", registration("node-1", "eu-west-1")), 409))
                .contains("bound to another API key");
        assertThat(TestServer.call(thief, "POST", "/v1/nodes/" + node1.uuid + "/heartbeat", "{}").status()).isEqualTo(404);
    }

    @Test
    void aNodeMovesToANewKeyOnceItsOldKeyIsRevoked() {
        NodeKey oldKey = mint(provider.accountUuid());
        SimulatedNode rotating = SimulatedNode.register(oldKey.client(), "rotating", "eu-north-1", 1, 1, 1, List.of());
        GalleyClient newKey = SimulatedNode.nodeKey(server, provider);
        assertThat(TestServer.call(newKey, "POST", "/v1/nodes/register", registration("rotating", "eu-north-1")).status()).isEqualTo(409);

        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        ok(TestServer.call(op, "DELETE", "/v1/api-keys/" + oldKey.uuid(), null), 200);

        ApiResponse moved = TestServer.call(newKey, "POST", "/v1/nodes/register", registration("rotating", "eu-north-1"));
        assertThat(ok(moved, 200).get("uuid").asText()).isEqualTo(rotating.uuid);
        assertThat(TestServer.call(newKey, "POST", "/v1/nodes/" + rotating.uuid + "/heartbeat", "{}").status()).isEqualTo(200);
    }

    @Test
    void aNodeWithoutAKeyIsBoundByTheFirstKeyOfItsAccountThatUsesIt() {
        // As a node registered before keys were bound: an operator key registers it, which binds nothing.
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        String legacy = ok(TestServer.call(op, "POST", "/v1/nodes/register", registration("legacy", "eu-south-1")), 201).get("uuid").asText();
        var operatorAccount = java.util.UUID.fromString(ok(TestServer.call(op, "GET", "/v1/nodes/" + legacy, null), 200).get("account_uuid").asText());
        GalleyClient first = mint(operatorAccount).client();
        GalleyClient second = mint(operatorAccount).client();
        GalleyClient outsider = SimulatedNode.nodeKey(server, provider);

        assertThat(TestServer.call(outsider, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status())
                .as("a key of another account never binds it").isEqualTo(404);
        assertThat(TestServer.call(first, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status()).isEqualTo(200);
        assertThat(TestServer.call(second, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status())
                .as("bound to the first key now").isEqualTo(404);
        assertThat(TestServer.call(first, "GET", "/v1/nodes/" + legacy + "/assignments?wait_ms=0", null).status()).isEqualTo(200);
        assertThat(TestServer.call(op, "POST", "/v1/nodes/" + legacy + "/heartbeat", "{}").status())
                .as("operator keys act on every node").isEqualTo(200);
    }

    @Test
    void anOperatorKeyMayActOnAnyRunForAdminTooling() {
        String run2 = runOn(consumer, node2, "eu-west-2");
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        assertThat(ok(TestServer.call(op, "PATCH", "/v1/job-runs/" + run2, "{\"status\":\"CANCELLED\",\"status_reason\":\"by the operator\"}"), 200)
                .get("status").asText()).isEqualTo("CANCELLED");
    }

    static String registration(String name, String region) {
        return """
                {"name":"%s","region_code":"%s","public_host":"127.0.0.1","agent_version":"sim-1",
                 "hardware":{"cpus":[{"name":"Sim CPU","num_cores":1}],"rams":[{"memory_gb_max":1,"memory_gb_available":1}],
                             "hard_drives":[{"name":"/","max_capacity_gb":1,"available_capacity_gb":1}],"gpus":[]}}"""
                .formatted(name, region);
    }

    /** A compute_node key of {@code account}, minted by the operator. */
    record NodeKey(String uuid, GalleyClient client) {}

    static NodeKey mint(java.util.UUID account) {
        GalleyClient op = TestServer.client(server, TestServer.OPERATOR_KEY);
        JsonNode key = ok(TestServer.call(op, "POST", "/v1/api-keys",
                "{\"name\":\"node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + account + "\"}"), 201);
        return new NodeKey(key.get("uuid").asText(),
                TestServer.client(server, key.get("public_key").asText() + ":" + key.get("secret_key").asText()));
    }
}
