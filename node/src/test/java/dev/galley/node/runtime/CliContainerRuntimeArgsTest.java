package dev.galley.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the adapter hands the CLI, checked with a recording fake executable (no engine needed). */
class CliContainerRuntimeArgsTest {
    private static final String SECRET_TOKEN = "tok-3f9a secret value";
    private static final String NODE = "0b0e0000-0000-4000-8000-00000000000b";

    @TempDir Path tmp;

    private ContainerSpec fullSpec(List<String> gpus) {
        return ContainerSpec.builder("ghcr.io/acme/train:1.2", "7d1c2f3a-0000-4000-8000-000000000001")
                .nodeUuid(NODE)
                .name("galley-run-7d1c")
                .env("CONTAINER_ACCESS_TOKEN", SECRET_TOKEN)
                .env("MULTI", "line1\nline2")
                .env("DOCKER_THING", "visible")
                .label("team", "ml")
                .limits(new ContainerLimits(1.5, 2L * 1024 * 1024 * 1024, 4096))
                .network("galley-run-7d1c")
                .gpuDevices(gpus)
                .port(22).port(8888)
                .command("python", "train.py")
                .build();
    }

    @Test
    void startBuildsTheRunCommandWithoutSecretsInArgv() throws IOException {
        var cli = new FakeCli(tmp, "Trying to pull...\\nabc123def456\\n", 0, "");
        String id = cli.runtime(CliFlavor.PODMAN).start(fullSpec(List.of()));

        assertThat(id).isEqualTo("abc123def456");
        List<String> args = cli.args();
        assertThat(args).startsWith("run", "-d", "--pull=never", "--name", "galley-run-7d1c");
        assertThat(String.join(" ", args))
                .contains("--label galley.managed=true")
                .contains("--label galley.job_run_uuid=7d1c2f3a-0000-4000-8000-000000000001")
                .contains("--label galley.node_uuid=" + NODE)
                .contains("--label team=ml")
                .contains("--cpus 1.5")
                .contains("--memory 2147483648")
                .contains("-p 127.0.0.1::22/tcp")
                .contains("-p 127.0.0.1::8888/tcp")
                .doesNotContain("--gpus")
                .doesNotContain("--device")
                .doesNotContain(SECRET_TOKEN)
                .doesNotContain("line1");
        // Secrets go by name in argv and by value in the CLI's environment.
        assertThat(args).containsSequence("-e", "CONTAINER_ACCESS_TOKEN");
        assertThat(args).containsSequence("-e", "MULTI");
        assertThat(cli.env()).contains("CONTAINER_ACCESS_TOKEN=" + SECRET_TOKEN);
        // A name that would reconfigure the CLI itself is passed by value instead.
        assertThat(args).containsSequence("-e", "DOCKER_THING=visible");
        assertThat(cli.env()).doesNotContain("DOCKER_THING=");
        // Image, then the command, last.
        assertThat(args).endsWith("ghcr.io/acme/train:1.2", "python", "train.py");
    }

    @Test
    void everyContainerGetsItsLimitsItsOwnNetworkOnlyAndNoNetRaw() throws IOException {
        for (CliFlavor flavor : CliFlavor.values()) {
            var cli = new FakeCli(Files.createDirectories(tmp.resolve(flavor.name())), "id1", 0, "");
            cli.runtime(flavor).start(fullSpec(List.of()));
            List<String> args = cli.args();
            assertThat(args).as(flavor + ": one network, the run's own").containsSequence("--network", "galley-run-7d1c")
                    .containsOnlyOnce("--network");
            assertThat(args).containsSequence("--cpus", "1.5")
                    .as("memory and memory+swap are the same: no swap on top of the limit")
                    .containsSequence("--memory", "2147483648", "--memory-swap", "2147483648")
                    .containsSequence("--pids-limit", "4096")
                    .containsSequence("--cap-drop", "NET_RAW")
                    .doesNotContain("--cap-add", "--privileged", "--pids-limit=-1", "host");
            assertThat(args.indexOf("--cap-drop")).isLessThan(args.indexOf("ghcr.io/acme/train:1.2"));
        }
    }

    @Test
    void runNetworksAreLabelledAndOnPodmanIsolatedFromEachOther() throws IOException {
        var podman = new FakeCli(tmp, "galley-run-7d1c\n", 0, "");
        podman.runtime(CliFlavor.PODMAN).createNetwork("galley-run-7d1c", "7d1c", NODE);
        assertThat(podman.args()).containsExactly("network", "create", "--driver", "bridge",
                "--label", "galley.managed=true", "--label", "galley.job_run_uuid=7d1c", "--label", "galley.node_uuid=" + NODE,
                "--opt", "isolate=true", "--disable-dns", "galley-run-7d1c");

        var docker = new FakeCli(Files.createDirectories(tmp.resolve("docker")), "f00d\n", 0, "");
        docker.runtime(CliFlavor.DOCKER).createNetwork("galley-run-7d1c", "7d1c", NODE);
        assertThat(docker.args()).as("docker isolates bridge networks by itself and has no such options")
                .containsExactly("network", "create", "--driver", "bridge",
                        "--label", "galley.managed=true", "--label", "galley.job_run_uuid=7d1c", "--label", "galley.node_uuid=" + NODE,
                        "galley-run-7d1c");

        assertThatThrownBy(() -> podman.runtime(CliFlavor.PODMAN).createNetwork("--opt=x", "r", NODE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> podman.runtime(CliFlavor.PODMAN).createNetwork("galley-run-7d1c", "7d1c", " "))
                .as("a network nobody could tell as this node's").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNetworkThatExistsAlreadyIsReusedButOtherCreateFailuresAreErrors() throws IOException {
        var exists = new FakeCli(tmp, "", 125, "Error: network name galley-run-1 already used: network already exists");
        exists.runtime(CliFlavor.PODMAN).createNetwork("galley-run-1", "1", NODE);

        var full = new FakeCli(Files.createDirectories(tmp.resolve("full")), "", 1,
                "Error response from daemon: could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
        assertThatThrownBy(() -> full.runtime(CliFlavor.DOCKER).createNetwork("galley-run-1", "1", NODE))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("creating network galley-run-1 failed")
                .hasMessageContaining("non-overlapping IPv4 address pool");
    }

    @Test
    void removingAGoneNetworkIsFineButOneInUseIsRefused() throws IOException {
        var gone = new FakeCli(tmp, "", 1, "Error: unable to find network with name or ID galley-run-1: network not found");
        gone.runtime(CliFlavor.PODMAN).removeNetwork("galley-run-1");
        assertThat(gone.args()).containsExactly("network", "rm", "galley-run-1");
        var dockerGone = new FakeCli(Files.createDirectories(tmp.resolve("docker")), "", 1, "Error response from daemon: network galley-run-1 not found");
        dockerGone.runtime(CliFlavor.DOCKER).removeNetwork("galley-run-1");

        var inUse = new FakeCli(Files.createDirectories(tmp.resolve("in-use")), "", 2,
                "Error: \"galley-run-1\" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used");
        assertThatThrownBy(() -> inUse.runtime(CliFlavor.PODMAN).removeNetwork("galley-run-1"))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("network is being used");
        assertThat(inUse.args()).as("never forced: a network with a container stays").doesNotContain("-f", "--force");
    }

    @Test
    void gpuFlagsDependOnTheCliAndAppearOnlyWhenAsked() throws IOException {
        var cli = new FakeCli(tmp, "id1", 0, "");
        cli.runtime(CliFlavor.DOCKER).start(fullSpec(List.of("0", "3")));
        assertThat(cli.args()).containsSequence("--gpus", "\"device=0,3\"");

        cli.runtime(CliFlavor.PODMAN).start(fullSpec(List.of("0", "3")));
        assertThat(cli.args()).containsSequence("--device", "nvidia.com/gpu=0", "--device", "nvidia.com/gpu=3")
                .doesNotContain("--gpus");
    }

    @Test
    void failedStartCarriesTheRuntimesMessage() throws IOException {
        var cli = new FakeCli(tmp, "", 125, "Error: localhost/nope:1: image not known");
        assertThatThrownBy(() -> cli.runtime(CliFlavor.PODMAN).start(TestSpecs.spec("localhost/nope:1", "r1").build()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("starting localhost/nope:1 for run r1 failed")
                .hasMessageContaining("image not known");
    }

    @Test
    void podmanPullUsesAPrivateAuthFileThatIsDeletedAfterwards() throws IOException {
        var cli = new FakeCli(tmp, "sha256:abc", 0, "");
        cli.runtime(CliFlavor.PODMAN).pull("registry.example.com/team/app:2", new RegistryAuth("registry.example.com", "bob", "s3cr3t"));

        List<String> args = cli.args();
        assertThat(args.getFirst()).isEqualTo("pull");
        assertThat(args).contains("--authfile").endsWith("registry.example.com/team/app:2");
        assertThat(String.join(" ", args)).doesNotContain("s3cr3t").doesNotContain("bob");
        assertThat(cli.env()).doesNotContain("s3cr3t");
        String expectedAuth = Base64.getEncoder().encodeToString("bob:s3cr3t".getBytes(StandardCharsets.UTF_8));
        assertThat(cli.auth()).isEqualTo("{\"auths\":{\"registry.example.com\":{\"auth\":\"" + expectedAuth + "\"}}}");
        Path authFile = Path.of(args.get(args.indexOf("--authfile") + 1));
        assertThat(authFile).doesNotExist();
        assertThat(authFile.getParent()).doesNotExist();
    }

    @Test
    void dockerPullPointsTheClientAtATemporaryConfigDir() throws IOException {
        var cli = new FakeCli(tmp, "", 0, "");
        cli.runtime(CliFlavor.DOCKER).pull("acme/app:1", new RegistryAuth("docker.io", "alice", "pw"));

        assertThat(cli.args()).startsWith("--config").contains("pull");
        assertThat(cli.auth()).contains("\"docker.io\"").contains("\"https://index.docker.io/v1/\"");
        assertThat(cli.authDir()).doesNotExist();
    }

    @Test
    void pullWithoutCredentialsPassesNone() throws IOException {
        var cli = new FakeCli(tmp, "", 0, "");
        cli.runtime(CliFlavor.PODMAN).pull("localhost/x:1", null);
        assertThat(cli.args()).containsExactly("pull", "-q", "localhost/x:1");
    }

    @Test
    void failedPullKeepsOnlyTheErrorLinesOfTheRuntime() throws IOException {
        String stderr = "Trying to pull x...\\n"
                + "time=\"t\" level=warning msg=\"Failed, retrying in 1s ... (1/3). Error: boom\"\\n"
                + "Error: initializing source docker://x: manifest unknown";
        var cli = new FakeCli(tmp, "", 125, stderr);
        assertThatThrownBy(() -> cli.runtime(CliFlavor.PODMAN).pull("x", null))
                .isInstanceOf(ImagePullException.class)
                .hasMessage("Error: initializing source docker://x: manifest unknown")
                .satisfies(e -> assertThat(((ImagePullException) e).imageRef()).isEqualTo("x"));
    }

    @Test
    void aContainerRemovedBetweenPsAndInspectIsReportedAsMissing() throws IOException {
        var cli = new FakeCli(tmp, "[]", 125, "Error: getting container from store \"f4ff\": container not known");
        assertThatThrownBy(() -> cli.runtime(CliFlavor.PODMAN).inspect("f4ff"))
                .isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void missingContainerIsReportedAsSuch() throws IOException {
        var cli = new FakeCli(tmp, "[]", 125, "Error: no such container deadbeef");
        CliContainerRuntime runtime = cli.runtime(CliFlavor.PODMAN);
        assertThatThrownBy(() -> runtime.inspect("deadbeef"))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining("deadbeef");
        // stop and remove are idempotent: a container that is already gone is fine.
        runtime.stop("deadbeef", java.time.Duration.ofSeconds(1));
        runtime.remove("deadbeef");
        assertThat(cli.args()).containsExactly("rm", "-f", "-t", "0", "deadbeef");
    }

    @Test
    void otherFailuresOfStopAreErrors() throws IOException {
        var cli = new FakeCli(tmp, "", 125, "Error: something is badly broken");
        assertThatThrownBy(() -> cli.runtime(CliFlavor.DOCKER).stop("abc", java.time.Duration.ofSeconds(3)))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("stop -t 3 abc")
                .hasMessageContaining("badly broken");
    }

    @Test
    void theCliIsNeverRunThroughAShell() throws IOException {
        var cli = new FakeCli(tmp, "id", 0, "");
        Path marker = tmp.resolve("pwned");
        cli.runtime(CliFlavor.PODMAN).start(TestSpecs.spec("img:1", "r; touch " + marker)
                .command("sh", "-c", "$(touch " + marker + ")").build());
        assertThat(marker).doesNotExist();
        assertThat(cli.args()).contains("galley.job_run_uuid=r; touch " + marker);
        assertThat(Files.exists(cli.executable)).isTrue();
    }

    @Test
    void volumesBecomeReadOnlyImageMountsOnPodmanAndAreRefusedOnDocker() throws IOException {
        ContainerSpec spec = TestSpecs.spec("ghcr.io/acme/train:1.2", "7d1c2f3a-0000-4000-8000-000000000002")
                .imageMount("ghcr.io/acme/weights:7", "/weights")
                .build();
        var podman = new FakeCli(tmp, "abc123def456\n", 0, "");
        podman.runtime(CliFlavor.PODMAN).start(spec);
        assertThat(podman.args()).containsSequence("--mount", "type=image,source=ghcr.io/acme/weights:7,destination=/weights");
        assertThat(podman.args().indexOf("--mount")).isLessThan(podman.args().indexOf("ghcr.io/acme/train:1.2"));

        var docker = new FakeCli(Files.createDirectories(tmp.resolve("docker")), "abc123def456\n", 0, "");
        assertThatThrownBy(() -> docker.runtime(CliFlavor.DOCKER).start(spec))
                .isInstanceOf(ContainerRuntimeException.class).hasMessageContaining("podman only");
        assertThatThrownBy(() -> TestSpecs.spec("a:1", "r").imageMount("w:1", "relative").build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
