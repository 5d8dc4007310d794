package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.node.NodeCommand;
import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ways {@code galley node} refuses to start, each with exit code 2 and one clear line. */
@Timeout(60)
class NodeCommandTest {
    private static final String KEY = FakeControlPlane.KEY.publicKey() + ":" + FakeControlPlane.KEY.secretKey();
    @TempDir
    Path workDir;
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final List<String> detectedWith = new ArrayList<>();

    private int run(Map<String, String> env, Function<String, ContainerRuntime> detector, String... args) {
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new NodeCommand(env, err, detector, false));
        cli.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--work-dir", workDir.toString()));
        return cli.execute(all.toArray(String[]::new));
    }

    private Function<String, ContainerRuntime> fakeRuntime() {
        return preferred -> {
            detectedWith.add(String.valueOf(preferred));
            return new FakeContainerRuntime();
        };
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingRegionIsAUsageError() {
        assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY)).isEqualTo(2);
        assertThat(err()).contains("--region");
    }

    @Test
    void aMissingKeySaysWhereToPutIt() {
        assertThat(run(Map.of("GALLEY_URL", "http://127.0.0.1:1"), fakeRuntime(), "--region", "eu-west-1")).isEqualTo(2);
        assertThat(err()).contains("GALLEY_API_KEY").contains("compute_node");
        assertThat(detectedWith).as("nothing else is tried").isEmpty();
    }

    @Test
    void anUnknownRegionAndABadSimulatedGpuAreRefused() {
        assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "mars-1")).isEqualTo(2);
        assertThat(err()).contains("mars-1").contains("region");
        errBytes.reset();
        assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "eu-west-1",
                "--simulate-gpu", "H100")).isEqualTo(2);
        assertThat(err()).contains("NAME:VRAM_GB:COUNT");
    }

    @Test
    void anUnreachableServerIsNamed() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertThat(run(Map.of("GALLEY_URL", url, "GALLEY_API_KEY", KEY), fakeRuntime(), "--region", "eu-west-1")).isEqualTo(2);
        assertThat(err()).contains("cannot reach the Galley server at " + url);
        assertThat(err().lines().count()).as("one line").isEqualTo(1);
    }

    @Test
    void aRejectedKeySaysItNeedsTheComputeNodePreset() throws IOException {
        try (FakeControlPlane server = new FakeControlPlane()) {
            server.registerAnswers(401);
            assertThat(run(Map.of(), fakeRuntime(), "--server", server.url().toString(), "--api-key", KEY, "--region", "eu-west-1",
                    "--runtime", "podman")).isEqualTo(2);
            assertThat(err()).contains("rejected the API key").contains("compute_node");
            assertThat(detectedWith).containsExactly("podman");
        }
    }

    @Test
    void noContainerRuntimeSaysHowToInstallPodman() {
        Function<String, ContainerRuntime> none = preferred -> {
            throw new ContainerRuntimeException("no working container runtime: docker: not found on PATH; podman: not found on PATH.");
        };
        assertThat(run(Map.of(), none, "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "eu-west-1")).isEqualTo(2);
        assertThat(err()).contains("no working container runtime").contains("apt-get install -y podman");
    }

    @Test
    void aHostNameIsNotABindAddress() {
        assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "eu-west-1",
                "--bind", "example.com")).isEqualTo(2);
        assertThat(err()).contains("--bind");
    }

    @Test
    void perRunLimitsThatMeanNoLimitOrNothingAreRefusedByName() {
        String[][] bad = {
                {"--default-run-memory-gb", "0", "--default-run-memory-gb must be at least 0.006"},
                {"--default-run-memory-gb", "0.001", "--default-run-memory-gb must be at least 0.006"},
                {"--default-run-memory-gb", "NaN", "--default-run-memory-gb"},
                {"--default-run-memory-gb", "Infinity", "--default-run-memory-gb"},
                {"--default-run-cpus", "0", "--default-run-cpus must be > 0"},
                {"--default-run-cpus", "-1", "--default-run-cpus must be > 0"},
                {"--run-pids-limit", "0", "--run-pids-limit must be > 0"},
                {"--run-pids-limit", "-1", "--run-pids-limit must be > 0"}};
        for (String[] flag : bad) {
            errBytes.reset();
            assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "eu-west-1",
                    flag[0], flag[1])).as(flag[0] + " " + flag[1]).isEqualTo(2);
            assertThat(err()).contains(flag[2]);
        }
        assertThat(detectedWith).as("refused before looking for a runtime").isEmpty();
    }

    @Test
    void aTelemetryIntervalOutsideItsRangeIsRefusedByName() {
        for (String value : new String[] {"999", "0", "-5", "3600001"}) {
            errBytes.reset();
            assertThat(run(Map.of(), fakeRuntime(), "--server", "http://127.0.0.1:1", "--api-key", KEY, "--region", "eu-west-1",
                    "--telemetry-interval-ms", value)).as(value).isEqualTo(2);
            assertThat(err()).contains("--telemetry-interval-ms must be 1000..3600000, got " + value);
        }
        assertThat(detectedWith).as("refused before looking for a runtime").isEmpty();
    }
}
