package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.error.FieldErrors;
import dev.galley.core.providers.HardwareSample;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Load samples in heartbeats: what is sent, how often the machine is sampled, and that sampling never delays a heartbeat. */
@Timeout(60)
class NodeAgentTelemetryTest {
    private FakeControlPlane server;
    private final List<NodeAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new FakeControlPlane();
    }

    @AfterEach
    void tearDown() {
        agents.forEach(NodeAgent::shutdown);
        server.close();
        assertThat(server.signatureProblems).as("every request was signed correctly").isEmpty();
    }

    private static HardwareSample sample(long timestampMs) {
        return new HardwareSample(timestampMs, 12.5, 8, 3.25, 31.2, 40.5, 100.0,
                List.of(new HardwareSample.Gpu(0, "NVIDIA GeForce RTX 4090", 87.0, 20.13, 23.99, 64.0, null)));
    }

    private NodeAgent start(Duration telemetryInterval, Telemetry telemetry) {
        NodeAgent agent = new NodeAgent(NodeAgentTest.testConfig().withTelemetryInterval(telemetryInterval), NodeAgentTest.HARDWARE,
                new FakeContainerRuntime(), server.client(), Clock.systemUTC(), telemetry);
        agents.add(agent);
        agent.start();
        return agent;
    }

    private List<JsonNode> heartbeats() {
        return server.calls("POST", "/v1/nodes/" + FakeControlPlane.NODE_UUID + "/heartbeat").stream().map(c -> c.json()).toList();
    }

    private static ConditionFactory eventually(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
    }

    @Test
    void everyHeartbeatCarriesTheLatestSampleInTheShapeTheServerReads() {
        start(Duration.ofHours(1), () -> sample(1_767_225_600_000L));
        eventually("three heartbeats").until(() -> heartbeats().size() >= 3);
        for (JsonNode beat : heartbeats()) {
            JsonNode event = beat.path("metadata").path("hardware_event");
            FieldErrors errors = new FieldErrors();
            assertThat(HardwareSample.fromJson(event, "metadata.hardware_event", errors)).isEqualTo(sample(1_767_225_600_000L));
            assertThat(errors.list()).isEmpty();
            assertThat(event.path("gpus").get(0).has("power_w")).as("a missing value is an explicit null").isTrue();
        }
        assertThat(heartbeats().getFirst().path("metadata").fieldNames()).toIterable().containsExactly("hardware_event");
    }

    @Test
    void theMachineIsSampledOncePerIntervalNotOncePerHeartbeat() {
        AtomicInteger taken = new AtomicInteger();
        start(Duration.ofHours(1), () -> sample(taken.incrementAndGet()));
        eventually("ten heartbeats").until(() -> heartbeats().size() >= 10);
        assertThat(taken.get()).isEqualTo(1);
        assertThat(heartbeats()).allSatisfy(b -> assertThat(b.at("/metadata/hardware_event/timestamp_ms").asLong()).isEqualTo(1));

        AtomicInteger often = new AtomicInteger();
        NodeAgent second = start(Duration.ofMillis(20), () -> sample(often.incrementAndGet()));
        eventually("several samples").until(() -> often.get() >= 5);
        eventually("the heartbeat sends a later sample").until(() -> second.latestSample().timestampMs() >= 5);
    }

    @Test
    void aHangingSampleNeverDelaysHeartbeatsAndShutdownStopsIt() throws InterruptedException {
        CountDownLatch hanging = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        NodeAgent agent = start(Duration.ofMillis(10), () -> {
            if (calls.incrementAndGet() == 1) return sample(1);
            hanging.countDown();
            Thread.sleep(Duration.ofHours(1)); // a driver that does not answer
            return sample(2);
        });
        assertThat(hanging.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        int before = heartbeats().size();
        eventually("five more heartbeats while the sample hangs").until(() -> heartbeats().size() >= before + 5);
        assertThat(heartbeats().getLast().at("/metadata/hardware_event/timestamp_ms").asLong()).isEqualTo(1);
        agent.shutdown();
        agent.awaitTermination();
    }

    @Test
    void aFailingSampleKeepsTheLastGoodOne() {
        AtomicInteger calls = new AtomicInteger();
        start(Duration.ofMillis(10), () -> {
            if (calls.incrementAndGet() == 1) return sample(1);
            throw new IllegalStateException("/proc is gone");
        });
        eventually("more failed samples").until(() -> calls.get() >= 5);
        int before = heartbeats().size();
        eventually("later heartbeats").until(() -> heartbeats().size() >= before + 2);
        assertThat(heartbeats().getLast().at("/metadata/hardware_event/timestamp_ms").asLong()).isEqualTo(1);
    }
}
