package dev.galley.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.client.GalleyClient;
import dev.galley.client.RetryPolicy;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The question a starting agent asks the real server about containers without a node label
 * ({@link ControlPlaneClient#runsOnNode}): only the node a run is placed on gets it back, not another node
 * of the same account and not another account's node key.
 */
class NodeRunLookupIT {
    static GalleyServer server;
    static GalleyClient ownerNodeKey;
    static GalleyClient ownerOtherNodeKey;
    static GalleyClient strangerNodeKey;
    static SimulatedNode runsIt;
    static SimulatedNode sameAccountOtherNode;
    static SimulatedNode strangersNode;
    static String run;

    @BeforeAll
    static void aRunPlacedOnOneNode() {
        // A server of its own: on the shared one, other classes' waiting jobs would land on these nodes.
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        Tenant owner = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        Tenant stranger = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        ownerNodeKey = SimulatedNode.nodeKey(server, owner);
        ownerOtherNodeKey = SimulatedNode.nodeKey(server, owner); // one compute_node key per node
        strangerNodeKey = SimulatedNode.nodeKey(server, stranger);
        runsIt = SimulatedNode.register(ownerNodeKey, "lookup-a", "af-south-1", 2, 4, 10, List.of()).keepAlive();
        sameAccountOtherNode = SimulatedNode.register(ownerOtherNodeKey, "lookup-b", "ca-central-1", 2, 4, 10, List.of()).keepAlive();
        strangersNode = SimulatedNode.register(strangerNodeKey, "lookup-c", "sa-east-1", 2, 4, 10, List.of()).keepAlive();
        owner.ok("POST", "/v1/jobs", """
                {"title":"lookup","task":"BATCH","max_timeout_run_ms":60000,"allowed_region_codes":["af-south-1"],
                 "parameters":{"parameters":{"image":"busybox"}}}""", 201);
        run = runsIt.next(10_000).path("job_run").path("uuid").asText();
        runsIt.reportOk(run, "{\"status\":\"PREPARING\"}");
        runsIt.reportOk(run, "{\"status\":\"RUNNING\"}");
    }

    @AfterAll
    static void tearDown() {
        for (SimulatedNode n : new SimulatedNode[] {runsIt, sameAccountOtherNode, strangersNode}) if (n != null) n.fallSilent();
        if (server != null) server.close();
    }

    private static ControlPlaneClient controlPlane(GalleyClient key) {
        return new ControlPlaneClient(key, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(1)));
    }

    @Test
    void theNodeTheRunIsOnGetsItBack() {
        String unknown = UUID.randomUUID().toString();
        assertThat(controlPlane(ownerNodeKey).runsOnNode(runsIt.uuid, List.of(run, unknown))).containsExactly(run);
    }

    @Test
    void anotherNodeOfTheSameAccountDoesNot() {
        assertThat(controlPlane(ownerOtherNodeKey).runsOnNode(sameAccountOtherNode.uuid, List.of(run))).isEmpty();
        assertThat(controlPlane(ownerNodeKey).runsOnNode(sameAccountOtherNode.uuid, List.of(run)))
                .as("nor does the run's own node asking about its sibling").isEmpty();
    }

    @Test
    void anotherAccountsKeyDoesNotEvenNamingTheRightNode() {
        assertThat(controlPlane(strangerNodeKey).runsOnNode(strangersNode.uuid, List.of(run))).isEmpty();
        assertThat(controlPlane(strangerNodeKey).runsOnNode(runsIt.uuid, List.of(run))).isEmpty();
    }
}
