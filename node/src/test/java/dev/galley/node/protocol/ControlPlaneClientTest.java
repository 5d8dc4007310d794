package dev.galley.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.client.GalleyClient;
import dev.galley.client.RetryPolicy;
import dev.galley.client.StubApiServer;
import dev.galley.client.StubApiServer.Reply;
import dev.galley.core.lifecycle.NodeStatus;
import dev.galley.core.lifecycle.ReasonCode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Status handling and retries of the typed protocol calls, against the SDK's stub server (which checks signatures). */
@Timeout(30)
class ControlPlaneClientTest {
    private StubApiServer server;
    private final AtomicInteger failFirst = new AtomicInteger();
    private volatile int status = 200;
    private volatile String responseBody = "{}";

    @BeforeEach
    void start() throws IOException {
        server = new StubApiServer().answer(request -> {
            int answer = failFirst.getAndDecrement() > 0 ? 503 : status;
            if (answer == 204) return new Reply(204, null, null);
            return Reply.json(answer, answer >= 400 ? "{\"error\":{\"type\":\"x\",\"message\":\"scripted " + answer + "\"}}" : responseBody);
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** What the server received, one "METHOD target Content-Type body" line per request. */
    private List<String> requests() {
        return server.seen().stream().map(r -> r.method() + " " + r.path() + (r.rawQuery() == null ? "" : "?" + r.rawQuery())
                + " " + r.header("Content-Type") + " " + new String(r.body(), StandardCharsets.UTF_8)).toList();
    }

    private ControlPlaneClient client() {
        return client(server.url());
    }

    private static ControlPlaneClient client(URI url) {
        return new ControlPlaneClient(GalleyClient.builder(url, StubApiServer.KEY).build(),
                new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(1)));
    }

    @Test
    void registerReadsTheNodeAndWhetherItIsNew() {
        status = 201;
        responseBody = "{\"uuid\":\"n-1\",\"object\":\"node\",\"name\":\"box\",\"region_code\":\"eu-west-1\",\"status\":\"ONLINE\"}";
        RegisteredNode node = client().register(new NodeRegistration("box", "eu-west-1", "box.example", "galley-node dev",
                dev.galley.node.agent.NodeAgentTestHardware.HARDWARE));
        assertThat(node).isEqualTo(new RegisteredNode("n-1", "box", "eu-west-1", NodeStatus.ONLINE, true));
        assertThat(requests().getFirst()).startsWith("POST /v1/nodes/register application/json")
                .contains("\"hard_drives\"").contains("\"num_cores\":8").doesNotContain("simulated");
        status = 200;
        assertThat(client().register(new NodeRegistration("box", "eu-west-1", null, "v", dev.galley.node.agent.NodeAgentTestHardware.HARDWARE))
                .created()).isFalse();
    }

    @Test
    void transientFailuresAreRetriedThenSucceed() {
        failFirst.set(2);
        responseBody = "{\"commands\":[{\"type\":\"stop_run\",\"job_run_uuid\":\"r-1\",\"reason\":\"timeout\"},{\"type\":\"other\"}]}";
        List<NodeCommand> commands = client().heartbeat("n-1", new Heartbeat(java.util.Map.of("cpu_load", 0.5), List.of("r-1")));
        assertThat(commands).containsExactly(new NodeCommand("stop_run", "r-1", "timeout"), new NodeCommand("other", null, null));
        assertThat(commands.getFirst().isStopRun()).isTrue();
        assertThat(requests()).hasSize(3);
        assertThat(requests().getLast()).contains("\"active_run_uuids\":[\"r-1\"]").contains("\"metadata\":{\"cpu_load\":0.5}");
    }

    @Test
    void persistentServerErrorsEndInUnavailable() {
        failFirst.set(100);
        assertThatThrownBy(() -> client().updateRun("r-1", RunUpdate.preparing()))
                .isInstanceOf(ControlPlaneUnavailableException.class).hasMessageContaining("503");
        assertThat(requests()).hasSize(3);
    }

    @Test
    void theLongPollIsTriedOnceBecauseItsLoopBacksOffItself() {
        failFirst.set(1);
        assertThatThrownBy(() -> client().pollAssignments("n-1", Duration.ZERO))
                .isInstanceOf(ControlPlaneUnavailableException.class).hasMessageContaining("GET /v1/nodes/n-1/assignments");
        assertThat(requests()).hasSize(1);
    }

    @Test
    void anUnreachableServerIsUnavailableAndNamesTheUrl() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + freePort);
        assertThatThrownBy(() -> client(url).heartbeat("n", new Heartbeat(java.util.Map.of(), List.of())))
                .isInstanceOf(ControlPlaneUnavailableException.class).hasMessageContaining(url.toString());
    }

    @Test
    void notFoundAndConflictMeanTheRunIsGoneAndAreNotRetried() {
        status = 409;
        assertThat(client().updateRun("r-1", RunUpdate.cancelled("x"))).isEqualTo(Delivery.GONE);
        status = 404;
        assertThat(client().appendLogs("r-1", "text")).isEqualTo(Delivery.GONE);
        assertThat(requests()).hasSize(2);
    }

    @Test
    void aRejectedKeyIsAPermanentError() {
        status = 403;
        assertThatThrownBy(() -> client().pollAssignments("n-1", Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
                    assertThat(e.isKeyRejected()).isTrue();
                    assertThat(e.status()).isEqualTo(403);
                });
        assertThat(requests()).hasSize(1);
    }

    @Test
    void logsArePlainTextAndBoundedUpdatesOmitAbsentFields() {
        status = 204;
        assertThat(client().appendLogs("r-1", "héllo\n")).isEqualTo(Delivery.ACCEPTED);
        assertThat(requests().getFirst()).isEqualTo("POST /v1/job-runs/r-1/logs text/plain; charset=utf-8 héllo\n");
        assertThatThrownBy(() -> client().appendLogs("r-1", "x".repeat(ControlPlaneClient.MAX_LOG_BYTES + 1)))
                .isInstanceOf(IllegalArgumentException.class);

        status = 200;
        client().updateRun("r-1", RunUpdate.exited(3));
        assertThat(requests().getLast()).endsWith("{\"exit_code\":3,\"status\":\"FAILED\",\"status_reason\":\"the container exited with code 3\","
                + "\"status_reason_code\":\"EXIT_NONZERO\"}");
        client().updateRun("r-1", RunUpdate.running(List.of(NodeUrl.tcp(22, "h", 4000))));
        assertThat(requests().getLast()).endsWith("{\"node_urls\":[{\"description\":\"ssh\",\"hostname\":\"h\",\"port\":4000,"
                + "\"protocol\":\"tcp\",\"tls\":false}],\"status\":\"RUNNING\"}");
        assertThat(RunUpdate.exited(0).status().name()).isEqualTo("COMPLETED");
        assertThat(RunUpdate.failed(ReasonCode.RUN_TIMEOUT, "slow", 143).exitCode()).isEqualTo(143);
    }

    @Test
    void pollParsesAssignmentsAndSkipsUnreadableOnes() {
        responseBody = """
                {"assignments":[
                  {"job_run":{"uuid":"r-1","job_uuid":"j-1","node_index":2,"attempt":3,"gpu_devices":[1]},
                   "job":{"uuid":"j-1","task":"BATCH","cpu_count":4,"min_ram_gb":2.5,"max_timeout_run_ms":60000,
                          "parameters":{"type":"docker","parameters":{"image":"ghcr.io/a/b","tag":"7","host":"ghcr.io",
                          "user":"u","secret":"topsecret","env":{"A":"1"},"ports":[22],"allowed_ips":["10.0.0.0/8"]}}},
                   "env":{"CONTAINER_ACCESS_TOKEN":"t","GALLEY_NODE_INDEX":"2"}},
                  {"job_run":{},"job":{},"env":{}}
                ]}""";
        List<Assignment> assignments = client().pollAssignments("n-1", Duration.ofMillis(1500));
        assertThat(requests().getFirst()).startsWith("GET /v1/nodes/n-1/assignments?wait_ms=1500 ");
        assertThat(assignments).singleElement().satisfies(a -> {
            assertThat(a.run()).isEqualTo(new AssignedRun("r-1", "j-1", 2, 3, List.of(1)));
            assertThat(a.job().isBatch()).isTrue();
            assertThat(a.job().cpuCount()).isEqualTo(4);
            assertThat(a.job().minRamGb()).isEqualTo(2.5);
            assertThat(a.job().maxTimeoutRunMs()).isEqualTo(60_000L);
            ContainerParameters c = a.job().container();
            assertThat(c.hasRegistryCredentials()).isTrue();
            assertThat(c.secret()).isEqualTo("topsecret");
            assertThat(c.toString()).doesNotContain("topsecret");
            assertThat(c.ports()).containsExactly(22);
            assertThat(c.allowedIps()).containsExactly("10.0.0.0/8");
            assertThat(c.env()).containsEntry("A", "1");
            assertThat(a.env()).containsEntry("CONTAINER_ACCESS_TOKEN", "t");
        });
    }
}
