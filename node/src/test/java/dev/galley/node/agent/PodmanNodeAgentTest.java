package dev.galley.node.agent;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.lifecycle.RunStatus;
import dev.galley.node.runtime.CliContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimes;
import dev.galley.node.runtime.ManagedContainer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with REAL podman containers and the fake control plane. Needs the image that
 * {@code scripts/setup-containers.sh} builds; without podman these tests fail (never skip).
 */
@Tag("containers")
@Timeout(180)
class PodmanNodeAgentTest {
    private static final String IMAGE = PodmanTestImages.BUSYBOX;
    private static final String HTTPD_IMAGE = PodmanTestImages.HTTPD;
    private static CliContainerRuntime podman;
    private FakeControlPlane server;
    private NodeAgent agent;

    @BeforeAll
    static void podmanAndImages(@TempDir Path buildDir) throws IOException, InterruptedException {
        podman = ContainerRuntimes.detect("podman");
        PodmanTestImages.ensure(podman, buildDir);
    }

    @BeforeEach
    void start() throws IOException {
        server = new FakeControlPlane();
        agent = new NodeAgent(NodeAgentTest.testConfig().withPollWait(Duration.ofSeconds(1)).withStopGrace(Duration.ofSeconds(1)),
                NodeAgentTest.HARDWARE, podman, server.client(), Clock.systemUTC());
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.shutdown();
        server.close();
        // Whatever a failed test left behind; only this node's: other test runs may share the engine.
        for (ManagedContainer c : podman.listManaged()) {
            if (FakeControlPlane.NODE_UUID.equals(c.nodeUuid()) && c.state().labels().containsKey(ContainerLabels.TASK)) {
                podman.remove(c.id());
                podman.removeNetwork(RunNetworks.nameFor(c.jobRunUuid()));
            }
        }
    }

    @Test
    void aBatchRunPrintsHelloAndFailsWithExitCode3() {
        String run = UUID.randomUUID().toString();
        server.assign(FakeControlPlane.assignment(run, "BATCH", IMAGE, null));

        await("run " + run + " FAILED").atMost(Duration.ofSeconds(60)).until(() -> server.status(run) == RunStatus.FAILED);
        assertThat(server.statusHistory(run)).containsExactly("PREPARING", "RUNNING", "FAILED");
        JsonNode last = server.lastUpdate(run);
        assertThat(last.path("status_reason_code").asText()).isEqualTo("EXIT_NONZERO");
        assertThat(last.path("exit_code").asInt()).isEqualTo(3);
        assertThat(server.logs(run)).contains("hello");
        await("container removed").atMost(Duration.ofSeconds(30))
                .until(() -> podman.listManaged().stream().noneMatch(c -> run.equals(c.jobRunUuid())));
        await("its network removed").atMost(Duration.ofSeconds(30))
                .until(() -> podman.listManagedNetworks().stream().noneMatch(n -> n.name().equals(RunNetworks.nameFor(run))));
    }

    @Test
    void aPublishedPortAnswersOnlyToAllowedAddresses() throws Exception {
        String allowed = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        server.assign(httpd(allowed, "127.0.0.1"));
        server.assign(httpd(refused, "10.0.0.0/8"));
        await("both RUNNING").atMost(Duration.ofSeconds(60))
                .until(() -> server.status(allowed) == RunStatus.RUNNING && server.status(refused) == RunStatus.RUNNING);

        JsonNode url = server.lastUpdate(allowed).path("node_urls").get(0);
        assertThat(url.path("description").asText()).isEqualTo("8080");
        int allowedPort = url.path("port").asInt();
        int refusedPort = server.lastUpdate(refused).path("node_urls").get(0).path("port").asInt();

        String[] answer = new String[1];
        await("httpd answers through the proxy").atMost(Duration.ofSeconds(30)).until(() -> {
            answer[0] = httpGet(allowedPort);
            return answer[0].startsWith("HTTP/1.");
        });
        assertThat(answer[0]).startsWith("HTTP/1.");
        assertThat(httpGet(refusedPort)).as("10.0.0.0/8 does not include 127.0.0.1: closed without an answer").isEmpty();

        server.stopRun(allowed, "cancelled by the user");
        server.stopRun(refused, "cancelled by the user");
        await("both CANCELLED").atMost(Duration.ofSeconds(60))
                .until(() -> server.status(allowed) == RunStatus.CANCELLED && server.status(refused) == RunStatus.CANCELLED);
        assertThat(httpGet(allowedPort)).as("the proxy is closed with the run").isEmpty();
    }

    private static ObjectNode httpd(String run, String allowedIp) {
        ObjectNode assignment = FakeControlPlane.assignment(run, "PERSISTENT", HTTPD_IMAGE, null);
        FakeControlPlane.params(assignment).putArray("ports").add(8080);
        FakeControlPlane.params(assignment).putArray("allowed_ips").add(allowedIp);
        return assignment;
    }

    /** The response to {@code GET /} from 127.0.0.1, or "" when the connection is refused or closed silently. */
    static String httpGet(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
