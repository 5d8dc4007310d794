package dev.galley.node.agent;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.agent.PodmanTestImages.CliOutput;
import dev.galley.node.runtime.CliContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimes;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' agents on ONE real podman engine (as two {@code galley node} processes on a machine, or the
 * end-to-end tests, run them): agent B, starting while agent A's containers and networks are there, must
 * not adopt, report, stop or remove any of them; A, restarted, adopts its own. Node uuids are random, so
 * other test runs on the same engine are neither touched nor in the way.
 */
@Tag("containers")
@Timeout(240)
class PodmanSharedEngineTest {
    private static CliContainerRuntime podman;
    private final String nodeA = UUID.randomUUID().toString();
    private final String nodeB = UUID.randomUUID().toString();
    /** Past the age below which a run's network is never collected, so only the node label protects A's. */
    private final Clock later = Clock.offset(Clock.systemUTC(), RunNetworks.MIN_AGE_TO_COLLECT.plusMinutes(1));
    private FakeControlPlane serverA;
    private FakeControlPlane serverB;
    private final List<NodeAgent> agents = new ArrayList<>();

    @BeforeAll
    static void podmanAndImages(@TempDir Path buildDir) throws IOException, InterruptedException {
        podman = ContainerRuntimes.detect("podman");
        PodmanTestImages.ensure(podman, buildDir);
    }

    @BeforeEach
    void servers() throws IOException {
        serverA = new FakeControlPlane(nodeA);
        serverB = new FakeControlPlane(nodeB);
    }

    @AfterEach
    void cleanUp() {
        agents.forEach(NodeAgent::shutdown);
        serverA.close();
        serverB.close();
        Set<String> ours = Set.of(nodeA, nodeB);
        for (ManagedContainer c : podman.listManaged()) {
            if (ours.contains(c.nodeUuid())) podman.remove(c.id());
        }
        for (ManagedNetwork n : podman.listManagedNetworks()) {
            if (ours.contains(n.nodeUuid())) podman.removeNetwork(n.name());
        }
    }

    private NodeAgent start(FakeControlPlane server, Clock clock) {
        NodeAgent agent = new NodeAgent(NodeAgentTest.testConfig().withPollWait(Duration.ofSeconds(1)).withStopGrace(Duration.ofSeconds(1)),
                NodeAgentTest.HARDWARE, podman, server.client(), clock);
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static ManagedContainer containerOf(String run) {
        return podman.listManaged().stream().filter(c -> run.equals(c.jobRunUuid())).findFirst()
                .orElseThrow(() -> new AssertionError("no container of run " + run));
    }

    private static boolean networkExists(String name) {
        return podman.listManagedNetworks().stream().anyMatch(n -> n.name().equals(name));
    }

    @Test
    void anotherNodesAgentLeavesEverythingAloneAndTheOwnerAdoptsItAfterARestart() throws Exception {
        // A's run, running.
        String run = UUID.randomUUID().toString();
        serverA.assign(FakeControlPlane.assignment(run, "PERSISTENT", PodmanTestImages.SLEEPER, null));
        NodeAgent a = start(serverA, Clock.systemUTC());
        await("A's run RUNNING").atMost(Duration.ofSeconds(90)).until(() -> serverA.status(run) == RunStatus.RUNNING);
        ManagedContainer running = containerOf(run);
        assertThat(running.nodeUuid()).isEqualTo(nodeA);
        assertThat(podman.listManagedNetworks()).filteredOn(n -> n.name().equals(RunNetworks.nameFor(run)))
                .singleElement().extracting(ManagedNetwork::nodeUuid).isEqualTo(nodeA);
        // A's network of a run whose container is gone (A died before removing it).
        String stale = UUID.randomUUID().toString();
        podman.createNetwork(RunNetworks.nameFor(stale), stale, nodeA);
        // A's container that was created but never started (A died in between): what B once reported FAILED.
        String unstarted = UUID.randomUUID().toString();
        serverA.knowRun(unstarted, RunStatus.PREPARING);
        CliOutput created = PodmanTestImages.podmanCli(podman, "create", "--name", "galley-" + unstarted, "--network", "none",
                "--label", "galley.managed=true", "--label", "galley.job_run_uuid=" + unstarted, "--label", "galley.node_uuid=" + nodeA,
                PodmanTestImages.BUSYBOX);
        assertThat(created.exitCode()).as(created.output()).isZero();
        a.shutdown();

        NodeAgent b = start(serverB, later);
        assertThat(b.activeRunUuids()).as("B adopts nothing of A's").isEmpty();
        String heartbeats = "/v1/nodes/" + nodeB + "/heartbeat";
        await("B heartbeats").atMost(Duration.ofSeconds(30)).until(() -> !serverB.calls("POST", heartbeats).isEmpty());
        assertThat(serverB.calls("POST", heartbeats).getLast().json().path("active_run_uuids")).as("nor reports it").isEmpty();
        assertThat(serverB.calls("PATCH", "/v1/job-runs/")).isEmpty();
        assertThat(containerOf(run).state().running()).as("nor stops it").isTrue();
        assertThat(containerOf(run).id()).isEqualTo(running.id());
        assertThat(containerOf(unstarted).state().running()).as("nor removes it").isFalse();
        assertThat(networkExists(RunNetworks.nameFor(stale))).as("nor cleans up A's networks").isTrue();
        assertThat(networkExists(RunNetworks.nameFor(run))).isTrue();

        NodeAgent a2 = start(serverA, later);
        assertThat(a2.activeRunUuids()).contains(run);
        assertThat(networkExists(RunNetworks.nameFor(stale))).as("A cleans up its own").isFalse();
        await("A's unstarted run reported").atMost(Duration.ofSeconds(60)).until(() -> serverA.status(unstarted) == RunStatus.FAILED);
        assertThat(serverA.lastUpdate(unstarted).path("status_reason").asText()).contains("restarted before the container started");
        await("A's running run re-reported").atMost(Duration.ofSeconds(60)).until(
                () -> serverA.statusHistory(run).equals(List.of("PREPARING", "RUNNING", "RUNNING")));
        await("the unstarted container removed").atMost(Duration.ofSeconds(30)).until(
                () -> podman.listManaged().stream().noneMatch(c -> unstarted.equals(c.jobRunUuid())));

        serverA.stopRun(run, "done");
        await("CANCELLED").atMost(Duration.ofSeconds(60)).until(() -> serverA.status(run) == RunStatus.CANCELLED);
        await("its container and network removed").atMost(Duration.ofSeconds(30)).until(
                () -> podman.listManaged().stream().noneMatch(c -> run.equals(c.jobRunUuid())) && !networkExists(RunNetworks.nameFor(run)));
        assertThat(b.activeRunUuids()).isEmpty();
        assertThat(serverB.calls("PATCH", "/v1/job-runs/")).as("B reported nothing all along").isEmpty();
    }
}
