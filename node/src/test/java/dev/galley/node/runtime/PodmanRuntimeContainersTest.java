package dev.galley.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.galley.node.proxy.PortProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs real containers through podman with the local test image that {@code scripts/setup-containers.sh}
 * builds. Without podman these tests fail (detect throws): they are never skipped.
 */
@Tag("containers")
@Timeout(120)
class PodmanRuntimeContainersTest {
    private static final String IMAGE = "localhost/galley-test/busybox:1";
    private static CliContainerRuntime runtime;
    private final List<String> started = new ArrayList<>();

    @BeforeAll
    static void detectPodman() {
        runtime = ContainerRuntimes.detect("podman");
        assertThat(runtime.flavor()).isEqualTo(CliFlavor.PODMAN);
        assertThat(runtime.imagePresent(IMAGE)).as(IMAGE + " must exist; run scripts/setup-containers.sh").isTrue();
    }

    @AfterEach
    void removeContainers() {
        for (String id : started) runtime.remove(id);
    }

    private String start(ContainerSpec.Builder spec) {
        String id = runtime.start(spec.label("dev.galley.test", "true").build());
        started.add(id);
        return id;
    }

    /** podman's default network: these tests are about the runtime adapter, not about per-run networks. */
    private static ContainerSpec.Builder spec(String... command) {
        return TestSpecs.spec(IMAGE, UUID.randomUUID().toString()).network("podman").command(command);
    }

    /** Follows the logs until the container ends and returns everything it printed. */
    private static String logsOf(String id) throws InterruptedException {
        StringBuffer out = new StringBuffer();
        try (LogStream logs = runtime.followLogs(id, out::append)) {
            assertThat(logs.awaitEnd(Duration.ofSeconds(60))).as("log stream ended with the container").isTrue();
        }
        return out.toString();
    }

    @Test
    void exitCodeAndOutputOfABatchContainer() throws InterruptedException {
        String id = start(spec("/bin/sh", "-c", "echo hello; echo to-stderr >&2; exit 3"));
        assertThat(runtime.waitForExit(id)).isEqualTo(3);
        ContainerState state = runtime.inspect(id);
        assertThat(state.running()).isFalse();
        assertThat(state.exitCode()).isEqualTo(3);
        assertThat(state.startedAt()).isNotNull();
        // podman takes the two times from different clocks; a container this short can "finish" a few ms early.
        assertThat(state.finishedAt()).isAfterOrEqualTo(state.startedAt().minusSeconds(1));
        assertThat(logsOf(id)).contains("hello").contains("to-stderr");
    }

    @Test
    void theImagesOwnCommandRunsWhenNoneIsGiven() throws InterruptedException {
        String id = start(spec());
        assertThat(runtime.waitForExit(id)).isEqualTo(3);
        assertThat(logsOf(id)).isEqualTo("hello\n");
    }

    @Test
    void logsArriveWhileTheContainerRuns() throws InterruptedException {
        String id = start(spec("/bin/sh", "-c", "echo first; sleep 2; echo second"));
        StringBuffer out = new StringBuffer();
        try (LogStream logs = runtime.followLogs(id, out::append)) {
            await("the first line").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> out.toString().contains("first"));
            assertThat(out.toString()).contains("first").doesNotContain("second");
            assertThat(logs.awaitEnd(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(out.toString()).contains("second");
        assertThat(runtime.waitForExit(id)).isZero();
    }

    @Test
    void environmentIsInjectedIncludingAwkwardValues() throws InterruptedException {
        String id = start(spec("/bin/sh", "-c", "echo \"FOO=[$FOO]\"; echo \"SPACED=[$SPACED]\"; echo \"MULTI=[$MULTI]\"; echo \"DOCKER_X=[$DOCKER_X]\"; echo \"EMPTY=[${EMPTY-unset}]\"")
                .env("FOO", "bar")
                .env("SPACED", "  a b  'q' \"d\" $HOME ")
                .env("MULTI", "one\ntwo")
                .env("DOCKER_X", "by-value")
                .env("EMPTY", ""));
        assertThat(runtime.waitForExit(id)).isZero();
        assertThat(logsOf(id))
                .contains("FOO=[bar]")
                .contains("SPACED=[  a b  'q' \"d\" $HOME ]")
                .contains("MULTI=[one\ntwo]")
                .contains("DOCKER_X=[by-value]")
                .contains("EMPTY=[]");
    }

    @Test
    void stopEndsASleepingContainer() {
        String id = start(spec("/bin/sleep", "300"));
        assertThat(runtime.inspect(id).running()).isTrue();
        Instant before = Instant.now();
        runtime.stop(id, Duration.ofSeconds(1));
        ContainerState state = runtime.inspect(id);
        assertThat(state.running()).isFalse();
        assertThat(state.exitCode()).isNotNull().isNotZero();
        assertThat(runtime.waitForExit(id)).isEqualTo(state.exitCode());
        assertThat(Duration.between(before, Instant.now())).isLessThan(Duration.ofSeconds(30));
        runtime.stop(id, Duration.ofSeconds(1)); // stopping again is fine
    }

    @Test
    void managedContainersAreFoundByLabelIncludingStoppedOnes() {
        ContainerSpec.Builder running = spec("/bin/sleep", "300");
        ContainerSpec.Builder exited = spec("/bin/sh", "-c", "exit 0");
        String runningId = start(running);
        String exitedId = start(exited);
        runtime.waitForExit(exitedId);
        String runningRun = runtime.inspect(runningId).jobRunUuid();
        String exitedRun = runtime.inspect(exitedId).jobRunUuid();

        List<ManagedContainer> managed = runtime.listManaged();
        assertThat(managed).anySatisfy(c -> {
            assertThat(c.id()).isEqualTo(runningId);
            assertThat(c.jobRunUuid()).isEqualTo(runningRun);
            assertThat(c.nodeUuid()).isEqualTo(TestSpecs.NODE_UUID);
            assertThat(c.state().running()).isTrue();
        });
        assertThat(managed).anySatisfy(c -> {
            assertThat(c.id()).isEqualTo(exitedId);
            assertThat(c.jobRunUuid()).isEqualTo(exitedRun);
            assertThat(c.state().exitCode()).isZero();
        });
        assertThat(runtime.inspect(runningId).labels()).containsEntry("galley.managed", "true").containsEntry("dev.galley.test", "true");

        runtime.remove(runningId);
        assertThat(runtime.listManaged()).extracting(ManagedContainer::id).doesNotContain(runningId).contains(exitedId);
        assertThatThrownBy(() -> runtime.inspect(runningId)).isInstanceOf(ContainerNotFoundException.class);
        runtime.remove(runningId); // removing again is fine
    }

    @Test
    void publishedPortAnswersOnLoopbackAndThroughTheProxy() throws Exception {
        String id = start(spec("/bin/sh", "-c",
                "/bin/busybox mkdir -p /www && echo galley-ok > /www/index.html && exec /bin/httpd -f -p 8080 -h /www")
                .port(8080));
        Map<Integer, Integer> ports = runtime.publishedPorts(id);
        assertThat(ports).containsOnlyKeys(8080);
        int hostPort = ports.get(8080);
        assertThat(hostPort).isPositive();

        assertThat(httpGetWithRetry(hostPort)).isEqualTo("galley-ok\n");
        try (PortProxy proxy = PortProxy.start(InetAddress.getLoopbackAddress(), 0, "127.0.0.1", hostPort, List.of())) {
            assertThat(httpGetWithRetry(proxy.port())).isEqualTo("galley-ok\n");
        }
    }

    /** GETs /index.html once httpd listens (until then the connection fails). */
    private static String httpGetWithRetry(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = await("httpd on port " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()), r -> true);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    @Test
    void memoryAndCpuLimitsAreApplied() throws InterruptedException {
        String id = start(spec("/bin/sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max")
                .limits(new ContainerLimits(0.5, 64L * 1024 * 1024, 100)));
        assertThat(runtime.waitForExit(id)).isZero();
        assertThat(logsOf(id).strip()).isEqualTo(Long.toString(64L * 1024 * 1024));
    }

    @Test
    void aRunNetworkIsLabelledListedAndNeverRemovedUnderARunningContainer() {
        String run = UUID.randomUUID().toString();
        String network = "galley-it-net-" + run.substring(0, 8);
        runtime.createNetwork(network, run, TestSpecs.NODE_UUID);
        try {
            runtime.createNetwork(network, run, TestSpecs.NODE_UUID); // again: reused
            assertThat(runtime.listManagedNetworks()).filteredOn(n -> n.name().equals(network)).singleElement()
                    .satisfies(n -> {
                        assertThat(n.jobRunUuid()).isEqualTo(run);
                        assertThat(n.nodeUuid()).isEqualTo(TestSpecs.NODE_UUID);
                        assertThat(n.createdAt()).isNotNull().isBefore(Instant.now().plusSeconds(60));
                    });
            String id = start(spec("/bin/sleep", "300").network(network));
            assertThatThrownBy(() -> runtime.removeNetwork(network)).isInstanceOf(ContainerRuntimeException.class)
                    .hasMessageContaining("network is being used");
            assertThat(runtime.inspect(id).running()).as("the container did not lose its network").isTrue();
            runtime.remove(id);
        } finally {
            runtime.removeNetwork(network);
        }
        assertThat(runtime.listManagedNetworks()).extracting(ManagedNetwork::name).doesNotContain(network);
        runtime.removeNetwork(network); // removing again is fine
    }

    @Test
    void pullingAnImageThatDoesNotExistCarriesTheRuntimesMessage() {
        String missing = "localhost/galley-test/does-not-exist:1";
        assertThat(runtime.imagePresent(missing)).isFalse();
        assertThatThrownBy(() -> runtime.pull(missing, new RegistryAuth("localhost", "u", "p")))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("does-not-exist")
                .hasMessageContaining("Error")
                .hasMessageNotContaining("level=warning");
    }

    @Test
    void startNeverPullsImplicitly() {
        assertThatThrownBy(() -> runtime.start(TestSpecs.spec("localhost/galley-test/does-not-exist:1", "r").network("podman").build()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("does-not-exist");
    }

    @Test
    void aNamedContainerThatFailsToStartLeavesNothingBehind() {
        String name = "galley-it-" + UUID.randomUUID().toString().substring(0, 8);
        assertThatThrownBy(() -> runtime.start(spec("/bin/no-such-program").name(name).build()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("no-such-program");
        assertThatThrownBy(() -> runtime.inspect(name)).isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void unknownContainersAreReportedAsNotFound() {
        assertThatThrownBy(() -> runtime.inspect("galley-no-such-container")).isInstanceOf(ContainerNotFoundException.class);
        assertThatThrownBy(() -> runtime.followLogs("galley-no-such-container", chunk -> { }))
                .isInstanceOf(ContainerNotFoundException.class);
        assertThatThrownBy(() -> runtime.waitForExit("galley-no-such-container")).isInstanceOf(ContainerNotFoundException.class);
        runtime.stop("galley-no-such-container", Duration.ofSeconds(1));
    }
}
