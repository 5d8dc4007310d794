package dev.galley.node.agent;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.agent.PodmanTestImages.CliOutput;
import dev.galley.node.runtime.CliContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimes;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Co-tenants on one node are isolated (spec §8), shown with REAL podman containers started by the agent:
 * limits that hold even when the job names none, no NET_RAW, and a network per run that another run
 * cannot cross, neither to the container nor to its published port, while the proxy still serves it.
 * Each "cannot reach" has a positive control that uses the same probe, so the test can fail.
 */
@Tag("containers")
@Timeout(240)
class PodmanRunIsolationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MIB = 1024L * 1024;
    /** Not podman's defaults (no memory limit, 2048 pids): seeing these proves the agent set them. */
    private static final RunLimitPolicy LIMITS = new RunLimitPolicy(300 * MIB, 0.5, 300, Runtime.getRuntime().availableProcessors());
    private static CliContainerRuntime podman;
    private FakeControlPlane server;
    private NodeAgent agent;
    private final List<String> runs = new ArrayList<>();

    @BeforeAll
    static void podmanAndImages(@TempDir Path buildDir) throws IOException, InterruptedException {
        podman = ContainerRuntimes.detect("podman");
        PodmanTestImages.ensure(podman, buildDir);
    }

    @BeforeEach
    void startAgent() throws IOException {
        server = new FakeControlPlane();
        agent = new NodeAgent(NodeAgentTest.testConfig().withPollWait(Duration.ofSeconds(1)).withStopGrace(Duration.ofSeconds(1))
                .withRunLimits(LIMITS), NodeAgentTest.HARDWARE, podman, server.client(), Clock.systemUTC());
        agent.start();
    }

    @AfterEach
    void stopAgentAndCleanUp() {
        agent.shutdown();
        server.close();
        for (ManagedContainer c : podman.listManaged()) {
            if (runs.contains(c.jobRunUuid())) podman.remove(c.id());
        }
        for (String run : runs) podman.removeNetwork(RunNetworks.nameFor(run));
    }

    private String assign(String task, String image, int port, String allowedIp) {
        String run = UUID.randomUUID().toString();
        runs.add(run);
        ObjectNode assignment = FakeControlPlane.assignment(run, task, image, null);
        if (port > 0) FakeControlPlane.params(assignment).putArray("ports").add(port);
        if (allowedIp != null) FakeControlPlane.params(assignment).putArray("allowed_ips").add(allowedIp);
        server.assign(assignment);
        return run;
    }

    private static String containerOf(String run) {
        return podman.listManaged().stream().filter(c -> run.equals(c.jobRunUuid())).findFirst().orElseThrow().id();
    }

    private static JsonNode inspect(String containerId) throws IOException, InterruptedException {
        CliOutput out = PodmanTestImages.podmanCli(podman, "container", "inspect", containerId);
        assertThat(out.exitCode()).as(out.output()).isZero();
        return JSON.readTree(out.output()).get(0);
    }

    @Test
    void twoRunsOnOneNodeCannotReachEachOtherOnlyThroughTheProxy() throws Exception {
        String a = assign("PERSISTENT", PodmanTestImages.HTTPD, 8080, "127.0.0.1");
        String b = assign("PERSISTENT", PodmanTestImages.SLEEPER, 0, null);
        await("both RUNNING").atMost(Duration.ofSeconds(90)).until(
                () -> server.status(a) == RunStatus.RUNNING && server.status(b) == RunStatus.RUNNING);
        String containerA = containerOf(a);
        String containerB = containerOf(b);

        JsonNode networksOfA = inspect(containerA).path("NetworkSettings").path("Networks");
        assertThat(fieldNames(networksOfA)).as("A is on its own network only").containsExactly(RunNetworks.nameFor(a));
        assertThat(fieldNames(inspect(containerB).path("NetworkSettings").path("Networks"))).containsExactly(RunNetworks.nameFor(b));
        String ipOfA = networksOfA.path(RunNetworks.nameFor(a)).path("IPAddress").asText();
        assertThat(ipOfA).isNotBlank();
        int publishedPortOfA = podman.publishedPorts(containerA).get(8080);
        String gatewayOfB = gatewayOf(RunNetworks.nameFor(b));
        String hostAddress = outboundAddressOfThisHost();

        // Positive controls: the same probe reaches A from its own network, and the host reaches it through the proxy.
        await("A's httpd answers").atMost(Duration.ofSeconds(30)).until(() -> httpAnswers(probeFrom(containerA, ipOfA, 8080)));
        assertThat(probeFromNewContainerOn(RunNetworks.nameFor(a), ipOfA, 8080)).as("another container on A's network").satisfies(
                out -> assertThat(httpAnswers(out)).as(out).isTrue());
        int proxyPort = server.lastUpdate(a).path("node_urls").get(0).path("port").asInt();
        assertThat(PodmanNodeAgentTest.httpGet(proxyPort)).as("through the allowed_ips proxy").startsWith("HTTP/1.");

        // B cannot reach A's container directly, nor A's published port on the host (by any of its addresses).
        assertThat(probeFrom(containerB, ipOfA, 8080)).as("B -> A's container address").satisfies(out -> assertThat(httpAnswers(out)).as(out).isFalse());
        assertThat(probeFrom(containerB, "127.0.0.1", publishedPortOfA)).as("B -> 127.0.0.1 (its own loopback)")
                .satisfies(out -> assertThat(httpAnswers(out)).as(out).isFalse());
        assertThat(probeFrom(containerB, gatewayOfB, publishedPortOfA)).as("B -> the host at B's gateway")
                .satisfies(out -> assertThat(httpAnswers(out)).as(out).isFalse());
        assertThat(probeFrom(containerB, hostAddress, publishedPortOfA)).as("B -> the host's outbound address")
                .satisfies(out -> assertThat(httpAnswers(out)).as(out).isFalse());

        // ... yet B still has outbound access: it reaches a server on the host's own (non-container) address.
        try (ServerSocket outside = new ServerSocket()) {
            outside.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            Thread.ofVirtual().start(() -> answerOnce(outside));
            String out = probeFrom(containerB, hostAddress, outside.getLocalPort());
            assertThat(httpAnswers(out)).as("B -> outside (%s:%d): %s", hostAddress, outside.getLocalPort(), out).isTrue();
        }

        server.stopRun(a, "done");
        server.stopRun(b, "done");
        await("both CANCELLED").atMost(Duration.ofSeconds(60)).until(
                () -> server.status(a) == RunStatus.CANCELLED && server.status(b) == RunStatus.CANCELLED);
        await("both networks removed with their containers").atMost(Duration.ofSeconds(30)).until(() -> podman.listManagedNetworks().stream()
                .map(ManagedNetwork::name).noneMatch(n -> n.equals(RunNetworks.nameFor(a)) || n.equals(RunNetworks.nameFor(b))));
    }

    @Test
    void aRunWithoutMinRamOrCpuCountHasMemoryCpuAndPidsLimitsAndNoNetRaw() throws Exception {
        String run = assign("PERSISTENT", PodmanTestImages.SLEEPER, 0, null); // cpu_count 0, min_ram_gb 0
        await("RUNNING").atMost(Duration.ofSeconds(90)).until(() -> server.status(run) == RunStatus.RUNNING);
        String container = containerOf(run);

        JsonNode inspected = inspect(container);
        JsonNode host = inspected.path("HostConfig");
        assertThat(host.path("Memory").asLong()).isEqualTo(300 * MIB);
        assertThat(host.path("MemorySwap").asLong()).as("no swap beyond the limit").isEqualTo(300 * MIB);
        assertThat(host.path("NanoCpus").asLong()).isEqualTo(500_000_000L);
        assertThat(host.path("PidsLimit").asLong()).isEqualTo(300);
        assertThat(texts(host.path("CapDrop"))).contains("CAP_NET_RAW");
        assertThat(texts(host.path("CapAdd"))).isEmpty();
        assertThat(host.path("Privileged").asBoolean()).isFalse();
        assertThat(texts(inspected.path("EffectiveCaps"))).isNotEmpty().doesNotContain("CAP_NET_RAW");

        // And from inside, as the kernel applies them.
        assertThat(execIn(container, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max").strip())
                .isEqualTo(Long.toString(300 * MIB));
        assertThat(execIn(container, "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max").strip()).isEqualTo("300");
        long effective = Long.parseLong(execIn(container, "/bin/busybox awk '/^CapEff/ {print $2}' /proc/self/status").strip(), 16);
        assertThat(effective & (1L << 13)).as("CAP_NET_RAW (bit 13) is not effective").isZero();
        assertThat(effective & (1L << 0)).as("control: CAP_CHOWN (bit 0) is, so the reading is real").isNotZero();
        assertThat(execIn(container, "i=0; while [ $i -lt 400 ]; do /bin/busybox sleep 20 >/dev/null 2>&1 & i=$((i+1)); done 2>&1 | /bin/busybox grep -c -i fork"))
                .as("a fork bomb stops at the pids limit").isNotEqualTo("0\n");
    }

    @Test
    void aRestartedAgentRemovesTheNetworkOfARunWhoseContainerIsGone() throws Exception {
        String gone = UUID.randomUUID().toString(); // as if an agent died between making the network and removing it
        runs.add(gone);
        podman.createNetwork(RunNetworks.nameFor(gone), gone, FakeControlPlane.NODE_UUID);
        assertThat(podman.listManagedNetworks()).extracting(ManagedNetwork::name).contains(RunNetworks.nameFor(gone));

        agent.shutdown();
        // The next start happens "two minutes later", past the age below which a network is left alone.
        agent = new NodeAgent(NodeAgentTest.testConfig().withRunLimits(LIMITS), NodeAgentTest.HARDWARE, podman, server.client(),
                Clock.offset(Clock.systemUTC(), RunNetworks.MIN_AGE_TO_COLLECT.plusMinutes(1)));
        agent.start();
        assertThat(podman.listManagedNetworks()).extracting(ManagedNetwork::name).doesNotContain(RunNetworks.nameFor(gone));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** An HTTP GET from inside {@code containerId} with busybox nc, 3 s to connect; what came back (or the error). */
    private static String probeFrom(String containerId, String address, int port) {
        return exec("exec", containerId, "/bin/sh", "-c", probeScript(address, port));
    }

    private static String probeFromNewContainerOn(String network, String address, int port) {
        return exec("run", "--rm", "--network", network, PodmanTestImages.BUSYBOX, "/bin/sh", "-c", probeScript(address, port));
    }

    private static String probeScript(String address, int port) {
        return "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | /bin/busybox nc -w 3 " + address + " " + port + " 2>&1 | /bin/busybox head -1";
    }

    private static String execIn(String containerId, String script) {
        return exec("exec", containerId, "/bin/sh", "-c", script);
    }

    private static String exec(String... args) {
        try {
            return PodmanTestImages.podmanCli(podman, args).output();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("podman " + String.join(" ", args) + ": " + e, e);
        }
    }

    private static boolean httpAnswers(String probeOutput) {
        return probeOutput.startsWith("HTTP/1.");
    }

    private static String gatewayOf(String network) throws IOException, InterruptedException {
        CliOutput out = PodmanTestImages.podmanCli(podman, "network", "inspect", network);
        assertThat(out.exitCode()).as(out.output()).isZero();
        String gateway = JSON.readTree(out.output()).get(0).path("subnets").get(0).path("gateway").asText();
        assertThat(gateway).as("gateway of " + network).isNotBlank();
        return gateway;
    }

    /** The address this host sends outbound traffic from (no packet is sent: connecting a UDP socket only picks a route). */
    private static String outboundAddressOfThisHost() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(InetAddress.getByName("192.0.2.123"), 9); // TEST-NET-1: routed like any outside address
            String address = socket.getLocalAddress().getHostAddress();
            assertThat(address).as("this host needs a non-loopback route").isNotEqualTo("0.0.0.0").doesNotStartWith("127.");
            return address;
        }
    }

    private static void answerOnce(ServerSocket server) {
        try (Socket client = server.accept()) {
            client.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\noutside\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the test asserts on what the probe saw
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
