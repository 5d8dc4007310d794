package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.agent.FakeContainerRuntime.Behaviour;
import dev.galley.node.agent.FakeContainerRuntime.FakeContainer;
import dev.galley.node.hardware.Hardware;
import dev.galley.node.protocol.ControlPlaneException;
import dev.galley.node.runtime.ContainerLimits;
import dev.galley.node.runtime.ContainerSpec;
import dev.galley.node.runtime.ManagedNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent's run flow against an in-memory runtime and a fake control plane over real signed HTTP. */
@Timeout(60)
class NodeAgentTest {
    private static final String IMAGE = "localhost/test/app:1";
    static final Hardware HARDWARE = new Hardware(
            List.of(new Hardware.Cpu("Test CPU", 8)),
            List.of(new Hardware.Gpu(0, "NVIDIA GeForce RTX 4090", 24, "GPU-aaaa", false),
                    new Hardware.Gpu(1, "NVIDIA H100 80GB HBM3", 80, null, true)),
            List.of(new Hardware.Ram(31.2, 20.0)),
            List.of(new Hardware.Disk("/dev/test", 100, 50)));

    private FakeControlPlane server;
    private FakeContainerRuntime runtime;
    private final List<NodeAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new FakeControlPlane();
        runtime = new FakeContainerRuntime().withImage(IMAGE);
    }

    @AfterEach
    void tearDown() {
        agents.forEach(NodeAgent::shutdown);
        server.close();
        assertThat(server.signatureProblems).as("every request was signed correctly").isEmpty();
    }

    static NodeAgentConfig testConfig() {
        return NodeAgentConfig.defaults("test-node", "eu-west-1", "node.example.test", InetAddress.getLoopbackAddress())
                .withHeartbeatInterval(Duration.ofMillis(50))
                .withPollWait(Duration.ofMillis(300))
                .withStopGrace(Duration.ZERO)
                .withLogFlushInterval(Duration.ofMillis(50))
                .withRetryPolicy(FakeControlPlane.QUICK_RETRIES)
                .withRunLimits(RunLimitPolicy.defaults(8));
    }

    /** The spec of a container a previous agent started for {@code run}. */
    private static ContainerSpec adoptedSpec(String run) {
        return ContainerSpec.builder(IMAGE, run).nodeUuid(FakeControlPlane.NODE_UUID).name("galley-" + run)
                .limits(RunLimitPolicy.defaults(8).limitsFor(0, 0)).network(RunNetworks.nameFor(run)).build();
    }

    private NodeAgent startAgent() {
        return startAgent(testConfig());
    }

    private NodeAgent startAgent(NodeAgentConfig config) {
        NodeAgent agent = new NodeAgent(config, HARDWARE, runtime, server.client(), Clock.systemUTC());
        agents.add(agent);
        agent.start();
        return agent;
    }

    private static String newRun() {
        return UUID.randomUUID().toString();
    }

    /** The agent's loops here tick every 10–50 ms: look as often, for up to 10 s. */
    private static ConditionFactory eventually(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
    }

    private void awaitStatus(String run, RunStatus status) {
        eventually("run " + run + " " + status).untilAsserted(() ->
                assertThat(server.status(run)).as("history %s", server.statusHistory(run)).isEqualTo(status));
    }

    @Test
    void registersItsHardwareAndHeartbeats() {
        NodeAgent agent = startAgent();
        assertThat(agent.node().uuid()).isEqualTo(FakeControlPlane.NODE_UUID);
        JsonNode registration = server.calls("POST", "/v1/nodes/register").getFirst().json();
        assertThat(registration.path("name").asText()).isEqualTo("test-node");
        assertThat(registration.path("region_code").asText()).isEqualTo("eu-west-1");
        assertThat(registration.path("public_host").asText()).isEqualTo("node.example.test");
        assertThat(registration.path("hardware").path("cpus").get(0).path("num_cores").asInt()).isEqualTo(8);
        assertThat(registration.path("hardware").path("gpus")).hasSize(2);
        assertThat(registration.path("hardware").path("gpus").get(1).has("simulated")).as("the simulated marker stays local").isFalse();
        eventually("two heartbeats").until(() -> server.calls("POST", "/v1/nodes/" + FakeControlPlane.NODE_UUID + "/heartbeat").size() >= 2);
        JsonNode heartbeat = server.calls("POST", "/v1/nodes/" + FakeControlPlane.NODE_UUID + "/heartbeat").getFirst().json();
        assertThat(heartbeat.path("active_run_uuids").isArray()).isTrue();
        assertThat(heartbeat.path("metadata").isObject()).isTrue();
        assertThat(heartbeat.path("metadata").has("hardware_event")).as("no telemetry source, no sample").isFalse();
        assertThat(NodeAgent.describe(HARDWARE)).isEqualTo("8 cores, 31.2 GB RAM, 2 GPUs (1 simulated)");
    }

    @Test
    void aRejectedKeyFailsTheStart() {
        server.registerAnswers(401);
        NodeAgent agent = new NodeAgent(testConfig(), HARDWARE, runtime, server.client(), Clock.systemUTC());
        assertThatThrownBy(agent::start).isInstanceOfSatisfying(ControlPlaneException.class,
                e -> assertThat(e.isKeyRejected()).isTrue());
    }

    @Test
    void aBatchRunGoesThroughPreparingRunningAndCompletes() {
        runtime.behave(IMAGE, new Behaviour("hello\nworld\n", 0));
        String run = newRun();
        ObjectNode assignment = FakeControlPlane.assignment(run, "BATCH", "localhost/test/app", "1");
        FakeControlPlane.params(assignment).putObject("env").put("FOO", "bar").put("CONTAINER_ACCESS_TOKEN", "from-the-job");
        FakeControlPlane.job(assignment).put("cpu_count", 2).put("min_ram_gb", 1.5);
        ((ObjectNode) assignment.path("job_run")).putArray("gpu_devices").add(0).add(1);
        server.assign(assignment);
        startAgent();

        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(server.statusHistory(run)).containsExactly("PREPARING", "RUNNING", "COMPLETED");
        assertThat(server.updates(run).get(1).path("node_urls").isArray()).as("RUNNING always carries node_urls").isTrue();
        assertThat(server.lastUpdate(run).path("exit_code").asInt()).isZero();
        assertThat(server.logs(run)).isEqualTo("hello\nworld\n");
        assertThat(runtime.pulls).as("the image was present").isEmpty();

        ContainerSpec spec = runtime.starts.getFirst();
        assertThat(spec.name()).isEqualTo("galley-" + run);
        assertThat(spec.image()).isEqualTo(IMAGE);
        assertThat(spec.env()).containsEntry("FOO", "bar").containsEntry("GALLEY_JOB_RUN_UUID", run)
                .containsEntry("CONTAINER_ACCESS_TOKEN", "cat-" + run);
        assertThat(spec.limits()).isEqualTo(new ContainerLimits(2.0, 3L * 512 * 1024 * 1024, RunLimitPolicy.DEFAULT_PIDS_LIMIT));
        assertThat(spec.network()).isEqualTo("galley-run-" + run);
        assertThat(spec.gpuDevices()).as("only the real GPU is handed over").containsExactly("0");
        assertThat(spec.extraLabels()).containsEntry(ContainerLabels.TASK, "BATCH");
        eventually("container removed").until(() -> runtime.removals.size() == 1);
        eventually("run no longer active").until(() -> agents.getFirst().activeRunUuids().isEmpty());
        assertThat(runtime.networksCreated).containsExactly("galley-run-" + run);
        eventually("the network goes with the container").until(() -> runtime.networksRemoved.equals(List.of("galley-run-" + run)));
    }

    @Test
    void aJobWithoutCpuOrRamStillGetsLimitsAndItsOwnNetwork() {
        String first = newRun();
        String second = newRun();
        server.assign(FakeControlPlane.assignment(first, "BATCH", IMAGE, null));
        server.assign(FakeControlPlane.assignment(second, "BATCH", IMAGE, null));
        startAgent(testConfig().withRunLimits(new RunLimitPolicy(512L * 1024 * 1024, 0.5, 100, 8)));

        awaitStatus(first, RunStatus.COMPLETED);
        awaitStatus(second, RunStatus.COMPLETED);
        assertThat(runtime.starts).extracting(ContainerSpec::limits)
                .containsOnly(new ContainerLimits(0.5, 512L * 1024 * 1024, 100));
        assertThat(runtime.starts).extracting(ContainerSpec::network)
                .containsExactlyInAnyOrder(RunNetworks.nameFor(first), RunNetworks.nameFor(second));
        eventually("both networks removed").until(() -> runtime.networksRemoved.size() == 2);
        assertThat(runtime.listManagedNetworks()).isEmpty();
    }

    @Test
    void aRunWhoseNetworkCannotBeMadeFailsWithoutAContainer() {
        runtime.failNetworkCreate("could not find an available, non-overlapping IPv4 address pool");
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        assertThat(server.lastUpdate(run).path("status_reason").asText())
                .contains("could not create the run's network").contains("non-overlapping IPv4 address pool");
        assertThat(runtime.starts).as("never on a shared network instead").isEmpty();
    }

    @Test
    void aContainerThatDoesNotStartLeavesNoNetworkBehind() {
        runtime.failStart("unknown device nvidia.com/gpu=0");
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        assertThat(server.lastUpdate(run).path("status_reason").asText()).contains("unknown device");
        assertThat(runtime.networksCreated).containsExactly(RunNetworks.nameFor(run));
        assertThat(runtime.networkExists(RunNetworks.nameFor(run))).isFalse();
    }

    @Test
    void keptContainersKeepTheirNetwork() {
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        NodeAgent agent = startAgent(testConfig().withKeepContainers(true));

        awaitStatus(run, RunStatus.COMPLETED);
        eventually("run no longer active").until(() -> agent.activeRunUuids().isEmpty());
        assertThat(runtime.removals).isEmpty();
        assertThat(runtime.networkExists(RunNetworks.nameFor(run))).isTrue();
    }

    @Test
    void aStartingAgentRemovesOnlyTheNetworksOfRunsThatAreGone() {
        Instant longAgo = Instant.now().minus(Duration.ofHours(1));
        String gone = newRun();
        String alive = newRun();
        String young = newRun();
        server.knowRun(alive, RunStatus.RUNNING);
        runtime.leaveNetwork(new ManagedNetwork(RunNetworks.nameFor(gone), gone, FakeControlPlane.NODE_UUID, longAgo));
        runtime.leaveNetwork(new ManagedNetwork(RunNetworks.nameFor(young), young, FakeControlPlane.NODE_UUID, Instant.now()));
        runtime.leaveNetwork(new ManagedNetwork("someone-elses-net", gone, FakeControlPlane.NODE_UUID, longAgo));
        FakeContainer container = runtime.adopt(adoptedSpec(alive));
        startAgent();

        eventually("the gone run's network removed").until(() -> !runtime.networkExists(RunNetworks.nameFor(gone)));
        eventually("the running container re-attached").until(() -> server.status(alive) == RunStatus.RUNNING && !server.updates(alive).isEmpty());
        assertThat(runtime.networkExists(RunNetworks.nameFor(alive))).as("its container still uses it").isTrue();
        assertThat(runtime.networkExists(RunNetworks.nameFor(young))).as("maybe another agent's, about to be used").isTrue();
        assertThat(runtime.networkExists("someone-elses-net")).isTrue();

        runtime.exit(container.id, 0);
        awaitStatus(alive, RunStatus.COMPLETED);
        eventually("the re-attached run's network goes with its container").until(() -> !runtime.networkExists(RunNetworks.nameFor(alive)));
    }

    @Test
    void aNonZeroExitFailsTheRunWithItsCode() {
        runtime.behave(IMAGE, new Behaviour("boom\n", 3));
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        JsonNode last = server.lastUpdate(run);
        assertThat(last.path("status_reason_code").asText()).isEqualTo("EXIT_NONZERO");
        assertThat(last.path("exit_code").asInt()).isEqualTo(3);
        assertThat(server.logs(run)).isEqualTo("boom\n");
    }

    @Test
    void aPullFailureFailsTheRunWithTheRuntimesMessage() {
        runtime.failPull("ghcr.io/acme/private:2", "manifest unknown: ghcr.io/acme/private:2");
        String run = newRun();
        ObjectNode assignment = FakeControlPlane.assignment(run, "BATCH", "ghcr.io/acme/private", "2");
        FakeControlPlane.params(assignment).put("host", "ghcr.io").put("user", "robot").put("secret", "s3cret");
        server.assign(assignment);
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        assertThat(server.statusHistory(run)).containsExactly("PREPARING", "FAILED");
        JsonNode last = server.lastUpdate(run);
        assertThat(last.path("status_reason_code").asText()).isEqualTo("IMAGE_PULL_FAILED");
        assertThat(last.path("status_reason").asText()).contains("manifest unknown");
        assertThat(runtime.pulls).containsExactly("ghcr.io/acme/private:2");
        assertThat(runtime.pullAuths).singleElement().satisfies(auth -> {
            assertThat(auth.host()).isEqualTo("ghcr.io");
            assertThat(auth.user()).isEqualTo("robot");
            assertThat(auth.secret()).isEqualTo("s3cret");
        });
        assertThat(runtime.starts).isEmpty();
    }

    @Test
    void anAbsentImageIsPulledThenRun() {
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", "ghcr.io/acme/app", "1.2"));
        startAgent();

        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(runtime.pulls).containsExactly("ghcr.io/acme/app:1.2");
        assertThat(runtime.pullAuths).as("no credentials in the job").isEmpty();
    }

    @Test
    void aBatchRunPastItsTimeoutIsStoppedAndFailsWithRunTimeout() {
        runtime.behave(IMAGE, new Behaviour("working\n", null));
        String run = newRun();
        ObjectNode assignment = FakeControlPlane.assignment(run, "BATCH", IMAGE, null);
        FakeControlPlane.job(assignment).put("max_timeout_run_ms", 300);
        server.assign(assignment);
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        JsonNode last = server.lastUpdate(run);
        assertThat(last.path("status_reason_code").asText()).isEqualTo("RUN_TIMEOUT");
        assertThat(last.path("exit_code").asInt()).isEqualTo(143);
        assertThat(runtime.stops).hasSize(1);
        assertThat(server.logs(run)).isEqualTo("working\n");
    }

    @Test
    void aPersistentRunHasNoTimeoutAndStopRunCancelsIt() {
        runtime.behave(IMAGE, new Behaviour("serving\n", null));
        String run = newRun();
        ObjectNode assignment = FakeControlPlane.assignment(run, "PERSISTENT", IMAGE, null);
        FakeControlPlane.params(assignment).putArray("ports").add(22).add(8080);
        FakeControlPlane.params(assignment).putArray("allowed_ips").add("127.0.0.1");
        FakeControlPlane.job(assignment).put("max_timeout_run_ms", 100); // a BATCH run would be stopped after this
        server.assign(assignment);
        NodeAgent agent = startAgent();

        awaitStatus(run, RunStatus.RUNNING);
        JsonNode urls = server.lastUpdate(run).path("node_urls");
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0).path("description").asText()).isEqualTo("ssh");
        assertThat(urls.get(1).path("description").asText()).isEqualTo("8080");
        assertThat(urls.get(0).path("hostname").asText()).isEqualTo("node.example.test");
        assertThat(urls.get(0).path("protocol").asText()).isEqualTo("tcp");
        assertThat(urls.get(0).path("tls").asBoolean(true)).isFalse();
        assertThat(urls.get(0).path("port").asInt()).isPositive();
        eventually("heartbeat lists the run").until(() -> server.calls("POST", "/v1/nodes/" + FakeControlPlane.NODE_UUID + "/heartbeat")
                .stream().anyMatch(c -> FakeControlPlane.texts(c.json().path("active_run_uuids")).contains(run)));
        assertThat(agent.activeRunUuids()).containsExactly(run);

        eventually("a PERSISTENT run has no timeout: not stopped in 300 ms").during(Duration.ofMillis(300))
                .until(() -> runtime.stops.isEmpty());
        server.stopRun(run, "cancelled by the user");

        awaitStatus(run, RunStatus.CANCELLED);
        assertThat(server.lastUpdate(run).path("status_reason").asText()).isEqualTo("cancelled by the user");
        assertThat(runtime.stops).hasSize(1);
        eventually("container removed").until(() -> runtime.removals.size() == 1);
    }

    @Test
    void aRepeatedAssignmentStartsOnlyOneContainer() {
        server.delayPreparing(Duration.ofMillis(400));
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(server.assignmentDeliveries()).as("the server delivered it more than once").isGreaterThan(1);
        assertThat(runtime.starts).hasSize(1);
        assertThat(server.statusHistory(run)).containsExactly("PREPARING", "RUNNING", "COMPLETED");
    }

    @Test
    void theFinalStatusIsRetriedThroughServerErrorsUntilAccepted() {
        runtime.behave(IMAGE, new Behaviour("done\n", 0));
        String run = newRun();
        server.failPatches(run, RunStatus.COMPLETED, 7);
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(server.calls("PATCH", "/v1/job-runs/" + run).stream()
                .filter(c -> c.json().path("status").asText().equals("COMPLETED")).count()).isEqualTo(8);
        assertThat(server.logs(run)).as("output is sent before the final status").isEqualTo("done\n");
        eventually("container removed after the status was accepted").until(() -> runtime.removals.size() == 1);
    }

    @Test
    void aRunTheServerMovedOnFromBeforePreparingIsNotStarted() {
        String run = newRun();
        server.rejectPatches(run, RunStatus.PREPARING);
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        NodeAgent agent = startAgent();

        // Under load the poll loop can fetch the assignment again before the supervisor's one PATCH lands: wait for
        // that PATCH, then for redeliveries after it.
        eventually("the PREPARING report was refused").until(() -> !server.calls("PATCH", "/v1/job-runs/" + run).isEmpty());
        int deliveries = server.assignmentDeliveries();
        eventually("the assignment was redelivered").until(() -> server.assignmentDeliveries() >= deliveries + 2);
        assertThat(runtime.starts).isEmpty();
        assertThat(runtime.pulls).isEmpty();
        assertThat(server.calls("PATCH", "/v1/job-runs/" + run)).as("one try; redeliveries are ignored").hasSize(1);
        // The supervisor lets go of the run on its own thread right after the 409: wait for it, don't race it.
        eventually("the run is no longer active").until(() -> agent.activeRunUuids().isEmpty());
    }

    @Test
    void aRunTheServerMovedOnFromWhileStartingIsStoppedAndRemoved() {
        runtime.behave(IMAGE, new Behaviour("", null));
        String run = newRun();
        server.rejectPatches(run, RunStatus.RUNNING);
        server.assign(FakeControlPlane.assignment(run, "PERSISTENT", IMAGE, null));
        startAgent();

        eventually("container started").until(() -> runtime.starts.size() == 1);
        eventually("container removed").until(() -> runtime.removals.size() == 1);
        assertThat(runtime.stops).hasSize(1);
        assertThat(server.statusHistory(run)).containsExactly("PREPARING");
    }

    @Test
    void largeOutputIsSentInBatchesWithinTheServersLimit() {
        StringBuilder big = new StringBuilder();
        while (big.length() < 600_000) big.append("line ").append(big.length()).append(" é€\n");
        runtime.behave(IMAGE, new Behaviour(big.toString(), 0));
        String run = newRun();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        startAgent();

        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(server.logs(run)).isEqualTo(big.toString());
        assertThat(server.logBatchSizes).hasSizeGreaterThan(2).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(256 * 1024));
    }

    @Test
    void aRestartedAgentReattachesToARunningContainer() {
        runtime.behave(IMAGE, new Behaviour("before restart\n", null));
        String run = newRun();
        ObjectNode assignment = FakeControlPlane.assignment(run, "PERSISTENT", IMAGE, null);
        FakeControlPlane.params(assignment).putArray("ports").add(8080);
        server.assign(assignment);
        NodeAgent first = startAgent();
        awaitStatus(run, RunStatus.RUNNING);
        int firstPort = server.lastUpdate(run).path("node_urls").get(0).path("port").asInt();
        eventually("output shipped").until(() -> server.logs(run).equals("before restart\n"));

        first.shutdown();
        FakeContainer container = runtime.containerOf(run);
        assertThat(runtime.stops).as("shutdown leaves containers running").isEmpty();
        assertThat(runtime.exists(container.id)).isTrue();

        NodeAgent second = startAgent();
        eventually("RUNNING re-reported").until(() -> server.updates(run).size() == 3);
        JsonNode rerun = server.lastUpdate(run);
        assertThat(rerun.path("status").asText()).isEqualTo("RUNNING");
        assertThat(rerun.path("node_urls")).hasSize(1);
        assertThat(rerun.path("node_urls").get(0).path("port").asInt()).as("a new proxy").isNotEqualTo(firstPort);
        assertThat(second.activeRunUuids()).containsExactly(run);

        runtime.print(container.id, "after restart\n");
        runtime.exit(container.id, 0);
        awaitStatus(run, RunStatus.COMPLETED);
        assertThat(server.logs(run)).as("old output is not re-sent").isEqualTo("before restart\nafter restart\n");
        assertThat(runtime.starts).hasSize(1);
        eventually("container removed").until(() -> !runtime.exists(container.id));
    }

    @Test
    void aContainerThatExitedWhileTheAgentWasDownIsReported() {
        String run = newRun();
        server.knowRun(run, RunStatus.RUNNING);
        FakeContainer container = runtime.adopt(adoptedSpec(run));
        runtime.exit(container.id, 3);
        startAgent();

        awaitStatus(run, RunStatus.FAILED);
        assertThat(server.lastUpdate(run).path("exit_code").asInt()).isEqualTo(3);
        eventually("container removed").until(() -> !runtime.exists(container.id));
    }

    @Test
    void aContainerOfARunTheServerNoLongerKnowsIsStoppedAndRemoved() {
        String run = newRun(); // never known to the server: PATCH answers 404
        FakeContainer container = runtime.adopt(adoptedSpec(run));
        startAgent();

        eventually("container removed").until(() -> !runtime.exists(container.id));
        assertThat(runtime.stops).contains(container.id);
        assertThat(server.updates(run)).isEmpty();
    }

    @Test
    void aStopForAnUnknownRunIsReportedCancelledAndItsLateAssignmentIgnored() {
        String run = newRun();
        server.knowRun(run, RunStatus.ASSIGNED);
        server.stopRun(run, "job cancelled");
        NodeAgent agent = startAgent();
        awaitStatus(run, RunStatus.CANCELLED);
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));
        server.knowRun(run, RunStatus.ASSIGNED); // a stale redelivery
        eventually("a few polls").until(() -> server.assignmentDeliveries() >= 2);
        assertThat(runtime.starts).isEmpty();
        assertThat(agent.activeRunUuids()).isEmpty();
    }
}
