package dev.galley.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small value types and rules of the runtime package. */
class RuntimeValuesTest {

    @Test
    void registryAuthNeverPrintsItsSecret() {
        RegistryAuth auth = new RegistryAuth(" ghcr.io ", "bob", "hunter2");
        assertThat(auth.toString()).contains("ghcr.io").contains("bob").doesNotContain("hunter2");
        assertThat(auth.host()).isEqualTo("ghcr.io");
        assertThat(auth.basicAuthToken()).isEqualTo("Ym9iOmh1bnRlcjI="); // base64("bob:hunter2")
        assertThatThrownBy(() -> new RegistryAuth(" ", "u", "s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryHostFollowsTheDockerReferenceRule() {
        assertThat(RegistryAuth.registryHostOf("ghcr.io/acme/app:1")).isEqualTo("ghcr.io");
        assertThat(RegistryAuth.registryHostOf("registry:5000/app")).isEqualTo("registry:5000");
        assertThat(RegistryAuth.registryHostOf("localhost/galley-test/busybox:1")).isEqualTo("localhost");
        assertThat(RegistryAuth.registryHostOf("acme/app:1")).isEqualTo("docker.io");
        assertThat(RegistryAuth.registryHostOf("ubuntu")).isEqualTo("docker.io");
    }

    @Test
    void containerSpecRejectsWhatTheCliWouldMisread() {
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").env("1BAD", "x").build()).hasMessageContaining("invalid env name");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").label("galley.managed", "false").build()).hasMessageContaining("reserved");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").port(0).build()).hasMessageContaining("outside 1..65535");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").port(80).port(80).build()).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").name("-x").build()).hasMessageContaining("invalid container name");
        assertThatThrownBy(() -> TestSpecs.spec(" ", "r").build()).hasMessageContaining("image");
        assertThatThrownBy(() -> TestSpecs.spec("img", "").build()).hasMessageContaining("jobRunUuid");
        ContainerSpec ok = TestSpecs.spec("img:1", "r").env(Map.of("A", "1")).ports(List.of(22, 80)).build();
        assertThat(ok.ports()).containsExactly(22, 80);
        assertThat(ok.env()).containsEntry("A", "1");
    }

    @Test
    void noContainerIsWithoutLimitsOrOnTheHostsNetwork() {
        assertThatThrownBy(() -> ContainerSpec.builder("img", "r").network("n").build()).hasMessageContaining("limits");
        assertThatThrownBy(() -> ContainerSpec.builder("img", "r").limits(TestSpecs.LIMITS).build()).hasMessageContaining("network");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").network("host").build()).hasMessageContaining("node's own network");
        assertThatThrownBy(() -> TestSpecs.spec("img", "r").network("container:other").build()).hasMessageContaining("invalid network name");
        assertThatThrownBy(() -> new ContainerLimits(0, 1L << 30, 100)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> new ContainerLimits(Double.NaN, 1L << 30, 100)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> new ContainerLimits(1, 0, 100)).hasMessageContaining("memoryBytes");
        assertThatThrownBy(() -> new ContainerLimits(1, 5L * 1024 * 1024, 100)).hasMessageContaining("6 MiB");
        assertThatThrownBy(() -> new ContainerLimits(1, 1L << 30, 0)).hasMessageContaining("pidsLimit");
    }

    @Test
    void flavorComesFromTheVersionText() {
        assertThat(CliFlavor.fromVersionOutput("podman version 4.3.1")).isEqualTo(CliFlavor.PODMAN);
        assertThat(CliFlavor.fromVersionOutput("Docker version 27.3.1, build ce12230")).isEqualTo(CliFlavor.DOCKER);
    }

    @Test
    void cliEnvironmentNamesAreRecognisedButJobNamesAreNot() {
        assertThat(CliContainerRuntime.affectsTheCli("PATH")).isTrue();
        assertThat(CliContainerRuntime.affectsTheCli("DOCKER_HOST")).isTrue();
        assertThat(CliContainerRuntime.affectsTheCli("CONTAINER_HOST")).isTrue();
        assertThat(CliContainerRuntime.affectsTheCli("http_proxy")).isTrue();
        assertThat(CliContainerRuntime.affectsTheCli("CONTAINER_ACCESS_TOKEN")).isFalse();
        assertThat(CliContainerRuntime.affectsTheCli("GOOGLE_API_KEY")).isFalse();
        assertThat(CliContainerRuntime.affectsTheCli("SSH_PUBKEY")).isFalse();
    }

    @Test
    void detectNamesEveryCandidateThatDidNotWork(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> ContainerRuntimes.detect("no-such-runtime-xyz"))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("no working container runtime")
                .hasMessageContaining("no-such-runtime-xyz: not found on PATH");

        // Like the docker client on this machine: installed, but no engine behind it.
        Path clientOnly = tmp.resolve("docker");
        Files.writeString(clientOnly, "#!/bin/sh\necho 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2\nexit 1\n");
        Files.setPosixFilePermissions(clientOnly, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> ContainerRuntimes.detect(clientOnly.toString()))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("'info' failed")
                .hasMessageContaining("Cannot connect to the Docker daemon");
    }

    @Test
    void detectAcceptsAWorkingRuntimeAndReadsItsFlavor(@TempDir Path tmp) throws IOException {
        Path fakePodman = tmp.resolve("docker"); // the podman-docker shim: named docker, speaks podman
        Files.writeString(fakePodman, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'podman version 9.9.9'; fi\nexit 0\n");
        Files.setPosixFilePermissions(fakePodman, PosixFilePermissions.fromString("rwx------"));
        CliContainerRuntime runtime = ContainerRuntimes.detect(fakePodman.toString());
        assertThat(runtime.flavor()).isEqualTo(CliFlavor.PODMAN);
        assertThat(runtime.description()).isEqualTo("podman version 9.9.9 (" + fakePodman + ")");
    }
}
