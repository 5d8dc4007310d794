package dev.galley.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spec §10 end to end: a real {@code galley node} samples this machine and the server keeps what it reported.
 * The figures are compared with what the test itself reads from the same machine a moment later, so they must
 * agree "within reason": the same cores and RAM size, RAM in use within a margin (other processes come and go),
 * the work directory's disk size.
 */
@Tag("containers")
class NodeTelemetryIT {
    static GalleyServer server;
    static AgentProcess agent;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(TestDatabase.fresh(), 30_000);
        work = Files.createTempDirectory("galley-e2e-telemetry");
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) agent.close();
        if (server != null) server.close();
    }

    @Test
    void aRealNodeReportsLoadThatMatchesTheMachine() throws Exception {
        GalleyClient operator = TestServer.client(server, TestServer.OPERATOR_KEY);
        Tenant provider = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        JsonNode key = TestServer.ok(TestServer.call(operator, "POST", "/v1/api-keys", "{\"name\":\"e2e telemetry node\","
                + "\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + provider.accountUuid() + "\"}"), 201);
        agent = AgentProcess.start("http://127.0.0.1:" + server.port(),
                key.get("public_key").asText() + ":" + key.get("secret_key").asText(), "telemetry-node", "eu-west-1", work.resolve("node"));

        // The agent samples on its own schedule; the server keeps the first sample it sees at once.
        JsonNode[] node = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode nodes = TestServer.ok(TestServer.call(operator, "GET", "/v1/nodes?filter[name]=telemetry-node", null), 200);
            assertThat(nodes.get("data")).as("agent log:\n%s", agent.output()).isNotEmpty();
            node[0] = nodes.get("data").get(0);
            assertThat(node[0].get("latest_hardware_event").isNull()).as("agent log:\n%s", agent.output()).isFalse();
        });
        String nodeUuid = node[0].get("uuid").asText();
        JsonNode events = TestServer.ok(TestServer.call(operator, "GET", "/v1/nodes/" + nodeUuid + "/hardware-events", null), 200);
        assertThat(events.get("total").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode e = events.get("data").get(0);
        assertThat(e.get("node_uuid").asText()).isEqualTo(nodeUuid);

        long cpus = Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        assertThat(e.get("cpu_cores").asLong()).as("the machine's cores").isEqualTo(cpus);
        assertThat(e.get("cpu_percent").asDouble()).isBetween(0.0, 100.0);

        Map<String, Double> mem = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .map(l -> l.split(":\\s+")).filter(p -> p.length == 2)
                .collect(Collectors.toMap(p -> p[0], p -> Double.parseDouble(p[1].replace(" kB", "").trim()) / (1024 * 1024), (a, b) -> a));
        double totalGb = mem.get("MemTotal");
        double usedGb = totalGb - mem.get("MemAvailable");
        assertThat(e.get("ram_total_gb").asDouble()).as("the machine's RAM").isCloseTo(totalGb, Offset.offset(0.05 * totalGb));
        assertThat(e.get("ram_used_gb").asDouble()).as("RAM in use, give or take what other processes did meanwhile")
                .isCloseTo(usedGb, Offset.offset(Math.max(1.5, 0.25 * usedGb)));

        double diskTotalGb = Files.getFileStore(work).getTotalSpace() / (1024.0 * 1024 * 1024); // GB are 2^30 bytes (spec)
        assertThat(e.get("disk_total_gb").asDouble()).as("the work directory's file system")
                .isCloseTo(diskTotalGb, Offset.offset(Math.max(1.0, 0.05 * diskTotalGb)));
        assertThat(e.get("disk_used_gb").asDouble()).isBetween(0.0, e.get("disk_total_gb").asDouble());
    }
}
