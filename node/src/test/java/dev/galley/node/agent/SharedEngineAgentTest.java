package dev.galley.node.agent;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.agent.FakeContainerRuntime.Behaviour;
import dev.galley.node.agent.FakeContainerRuntime.FakeContainer;
import dev.galley.node.runtime.ContainerSpec;
import dev.galley.node.runtime.ManagedNetwork;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes' agents on one (in-memory) engine, each with its own control plane: neither adopts, reports,
 * stops or cleans up what the other started; containers from agents before the node label are adopted
 * only by the node the server places their run on. The same with real podman: {@link PodmanSharedEngineTest}.
 */
@Timeout(60)
class SharedEngineAgentTest {
    private static final String IMAGE = "localhost/test/app:1";
    private static final String NODE_A = "00000000-0000-4000-8000-0000000000a1";
    private static final String NODE_B = "00000000-0000-4000-8000-0000000000b2";
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(1));

    private final FakeContainerRuntime engine = new FakeContainerRuntime().withImage(IMAGE);
    private FakeControlPlane serverA;
    private FakeControlPlane serverB;
    private final List<NodeAgent> agents = new ArrayList<>();

    @BeforeEach
    void servers() throws IOException {
        serverA = new FakeControlPlane(NODE_A);
        serverB = new FakeControlPlane(NODE_B);
    }

    @AfterEach
    void tearDown() {
        agents.forEach(NodeAgent::shutdown);
        serverA.close();
        serverB.close();
        assertThat(serverA.signatureProblems).isEmpty();
        assertThat(serverB.signatureProblems).isEmpty();
    }

    private NodeAgent start(FakeControlPlane server) {
        NodeAgent agent = new NodeAgent(NodeAgentTest.testConfig(), NodeAgentTest.HARDWARE, engine, server.client(), Clock.systemUTC());
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static String newRun() {
        return UUID.randomUUID().toString();
    }

    /** A container an agent left on the engine for {@code run}, labelled with {@code node}. */
    private static ContainerSpec spec(String run, String node) {
        return ContainerSpec.builder(IMAGE, run).nodeUuid(node).name("galley-" + run)
                .limits(RunLimitPolicy.defaults(8).limitsFor(0, 0)).network(RunNetworks.nameFor(run)).build();
    }

    /** Waits for a heartbeat of {@code server}'s agent and returns the runs it said it supervises. */
    private static JsonNode activeRunsInAHeartbeat(FakeControlPlane server) {
        String path = "/v1/nodes/" + server.nodeUuid() + "/heartbeat";
        await("a heartbeat").atMost(Duration.ofSeconds(10)).until(() -> !server.calls("POST", path).isEmpty());
        return server.calls("POST", path).getLast().json().path("active_run_uuids");
    }

    @Test
    void anAgentLeavesAnotherNodesContainersAndNetworksAloneAndAdoptsItsOwnAfterARestart() {
        engine.behave(IMAGE, new Behaviour("working\n", null));
        String run = newRun();
        serverA.assign(FakeControlPlane.assignment(run, "PERSISTENT", IMAGE, null));
        NodeAgent a = start(serverA);
        await("A's run RUNNING").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(run) == RunStatus.RUNNING);
        FakeContainer container = engine.containerOf(run);
        assertThat(container.spec().nodeUuid()).isEqualTo(NODE_A);
        String stale = newRun(); // as if A had died between making this network and removing it
        engine.leaveNetwork(new ManagedNetwork(RunNetworks.nameFor(stale), stale, NODE_A, LONG_AGO));
        a.shutdown();

        NodeAgent b = start(serverB);
        assertThat(b.activeRunUuids()).as("B adopts nothing of A's").isEmpty();
        assertThat(activeRunsInAHeartbeat(serverB)).as("nor reports it").isEmpty();
        assertThat(serverB.calls("PATCH", "/v1/job-runs/")).isEmpty();
        assertThat(serverB.calls("POST", "/v1/job-runs/")).isEmpty();
        assertThat(serverB.calls("GET", "/v1/job-runs")).as("labelled objects need no question").isEmpty();
        assertThat(engine.stops).isEmpty();
        assertThat(engine.removals).isEmpty();
        assertThat(engine.networksRemoved).as("neither A's running run's network nor its stale one").isEmpty();
        assertThat(engine.exists(container.id)).isTrue();

        NodeAgent a2 = start(serverA);
        assertThat(a2.activeRunUuids()).containsExactly(run);
        await("RUNNING re-reported to A's server").atMost(Duration.ofSeconds(10)).until(() -> serverA.statusHistory(run).equals(List.of("PREPARING", "RUNNING", "RUNNING")));
        assertThat(engine.networkExists(RunNetworks.nameFor(stale))).as("A cleans up its own").isFalse();
        assertThat(engine.networkExists(RunNetworks.nameFor(run))).isTrue();

        serverA.stopRun(run, "done");
        await("CANCELLED").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(run) == RunStatus.CANCELLED);
        await("container and network gone").atMost(Duration.ofSeconds(10)).until(() -> !engine.exists(container.id) && !engine.networkExists(RunNetworks.nameFor(run)));
        assertThat(b.activeRunUuids()).isEmpty();
        assertThat(serverB.calls("PATCH", "/v1/job-runs/")).isEmpty();
    }

    @Test
    void anAgentStartingWhileAnotherRunsItsContainerDoesNotTouchIt() {
        engine.behave(IMAGE, new Behaviour("working\n", null));
        String run = newRun();
        serverA.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        start(serverA);
        await("A's run RUNNING").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(run) == RunStatus.RUNNING);

        NodeAgent b = start(serverB);
        assertThat(b.activeRunUuids()).isEmpty();
        assertThat(activeRunsInAHeartbeat(serverB)).isEmpty();
        b.shutdown();

        FakeContainer container = engine.containerOf(run);
        engine.exit(container.id, 0);
        await("COMPLETED by A").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(run) == RunStatus.COMPLETED);
        assertThat(serverA.statusHistory(run)).containsExactly("PREPARING", "RUNNING", "COMPLETED");
        assertThat(serverB.calls("PATCH", "/v1/job-runs/")).isEmpty();
    }

    @Test
    void unlabelledContainersAreAdoptedOnlyByTheNodeTheServerPlacesTheirRunOn() {
        String ours = newRun();
        String theirs = newRun();
        String unknown = newRun(); // another account's, or one the server no longer has
        serverA.knowRun(ours, RunStatus.RUNNING);
        serverA.knowRunOn(theirs, RunStatus.RUNNING, NODE_B);
        FakeContainer oursContainer = engine.adoptUnlabelled(spec(ours, NODE_A));
        FakeContainer theirsContainer = engine.adoptUnlabelled(spec(theirs, NODE_B));
        FakeContainer unknownContainer = engine.adoptUnlabelled(spec(unknown, NODE_A));
        assertThat(engine.inspect(oursContainer.id).nodeUuid()).as("as an agent before the label left it").isNull();

        NodeAgent a = start(serverA);
        assertThat(a.activeRunUuids()).containsExactly(ours);
        assertThat(serverA.calls("GET", "/v1/job-runs")).singleElement().satisfies(question -> assertThat(question.query())
                .contains("filter[node_uuid]=" + NODE_A).contains(ours).contains(theirs).contains(unknown));
        await("RUNNING re-reported").atMost(Duration.ofSeconds(10)).until(() -> serverA.statusHistory(ours).equals(List.of("RUNNING")));
        assertThat(serverA.updates(theirs)).isEmpty();
        assertThat(serverA.calls("PATCH", "/v1/job-runs/" + unknown)).as("not even tried: it may be another agent's").isEmpty();

        engine.exit(oursContainer.id, 0);
        await("COMPLETED").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(ours) == RunStatus.COMPLETED);
        await("its container and network removed").atMost(Duration.ofSeconds(10)).until(() -> !engine.exists(oursContainer.id) && !engine.networkExists(RunNetworks.nameFor(ours)));
        assertThat(engine.exists(theirsContainer.id)).isTrue();
        assertThat(engine.exists(unknownContainer.id)).isTrue();
        assertThat(engine.stops).doesNotContain(theirsContainer.id, unknownContainer.id);
        assertThat(engine.networkExists(RunNetworks.nameFor(theirs))).isTrue();
    }

    @Test
    void unlabelledNetworksOfGoneRunsAreRemovedOnlyWhenTheServerPlacesTheRunHere() {
        String ours = newRun();
        String theirs = newRun();
        serverA.knowRun(ours, RunStatus.FAILED);
        serverA.knowRunOn(theirs, RunStatus.FAILED, NODE_B);
        engine.leaveNetwork(new ManagedNetwork(RunNetworks.nameFor(ours), ours, null, LONG_AGO));
        engine.leaveNetwork(new ManagedNetwork(RunNetworks.nameFor(theirs), theirs, null, LONG_AGO));

        start(serverA);
        assertThat(engine.networkExists(RunNetworks.nameFor(ours))).isFalse();
        assertThat(engine.networkExists(RunNetworks.nameFor(theirs))).isTrue();
    }

    @Test
    void whenTheServerCannotSayUnlabelledContainersAreLeftForALaterStart() {
        String ours = newRun();
        serverA.knowRun(ours, RunStatus.RUNNING);
        FakeContainer container = engine.adoptUnlabelled(spec(ours, NODE_A));
        serverA.runListAnswers(503);

        NodeAgent first = start(serverA);
        assertThat(first.activeRunUuids()).isEmpty();
        assertThat(serverA.calls("GET", "/v1/job-runs")).as("it asked (and retried)").hasSizeGreaterThan(1);
        assertThat(serverA.updates(ours)).isEmpty();
        assertThat(engine.stops).isEmpty();
        first.shutdown();

        serverA.runListAnswers(200);
        NodeAgent second = start(serverA);
        assertThat(second.activeRunUuids()).containsExactly(ours);
        await("RUNNING re-reported").atMost(Duration.ofSeconds(10)).until(() -> serverA.status(ours) == RunStatus.RUNNING && !serverA.updates(ours).isEmpty());
        assertThat(engine.exists(container.id)).isTrue();
    }
}
