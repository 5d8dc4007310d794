package dev.galley.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectOutputTest {

    /** Trimmed from real `docker inspect` of a container that exited 3. */
    private static final String DOCKER_EXITED = """
            [{"Id":"4f1e2d","Name":"/galley-run-1",
              "State":{"Status":"exited","Running":false,"ExitCode":3,
                       "StartedAt":"2024-05-01T10:00:00.123456789Z","FinishedAt":"2024-05-01T10:00:05.5Z"},
              "Config":{"Labels":{"galley.managed":"true","galley.job_run_uuid":"run-1"}},
              "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"32768"}],"53/udp":[{"HostIp":"127.0.0.1","HostPort":"40000"}],"9000/tcp":null}}}]
            """;

    /** Trimmed from real `podman inspect` of a running container (podman prints no leading '/'). */
    private static final String PODMAN_RUNNING = """
            [{"Id":"8fff19a7","Name":"confident_lichterman",
              "State":{"Status":"running","Running":true,"ExitCode":0,
                       "StartedAt":"2026-11-26T21:46:19.51234+00:00","FinishedAt":"0001-01-01T00:00:00Z"},
              "Config":{"Labels":null},
              "NetworkSettings":{"Ports":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"39463"}]}}}]
            """;

    /** Docker reports ExitCode 0 for a container that was created but never started. */
    private static final String DOCKER_CREATED = """
            [{"Id":"c1","Name":"/c","State":{"Status":"created","Running":false,"ExitCode":0,
              "StartedAt":"0001-01-01T00:00:00Z","FinishedAt":"0001-01-01T00:00:00Z"},"Config":{}}]
            """;

    @Test
    void readsAnExitedDockerContainer() {
        ContainerState state = InspectOutput.state(InspectOutput.single(DOCKER_EXITED, "4f1e2d"));
        assertThat(state.id()).isEqualTo("4f1e2d");
        assertThat(state.name()).isEqualTo("galley-run-1");
        assertThat(state.running()).isFalse();
        assertThat(state.finished()).isTrue();
        assertThat(state.exitCode()).isEqualTo(3);
        assertThat(state.startedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456789Z"));
        assertThat(state.finishedAt()).isEqualTo(Instant.parse("2024-05-01T10:00:05.5Z"));
        assertThat(state.jobRunUuid()).isEqualTo("run-1");
    }

    @Test
    void readsARunningPodmanContainer() {
        ContainerState state = InspectOutput.state(InspectOutput.single(PODMAN_RUNNING, "8fff19a7"));
        assertThat(state.running()).isTrue();
        assertThat(state.exitCode()).as("no exit code while running").isNull();
        assertThat(state.finishedAt()).as("Go's zero time means never").isNull();
        assertThat(state.startedAt()).isEqualTo(Instant.parse("2026-11-26T21:46:19.51234Z"));
        assertThat(state.labels()).isEmpty();
        assertThat(state.jobRunUuid()).isNull();
    }

    @Test
    void aNeverStartedContainerHasNoExitCode() {
        ContainerState state = InspectOutput.state(InspectOutput.single(DOCKER_CREATED, "c1"));
        assertThat(state.exitCode()).isNull();
        assertThat(state.finished()).isFalse();
        assertThat(state.startedAt()).isNull();
    }

    @Test
    void readsOnlyBoundTcpPorts() {
        assertThat(InspectOutput.tcpPorts(InspectOutput.single(DOCKER_EXITED, "x"))).isEqualTo(Map.of(8080, 32768));
        assertThat(InspectOutput.tcpPorts(InspectOutput.single(PODMAN_RUNNING, "x"))).isEqualTo(Map.of(8080, 39463));
        assertThat(InspectOutput.tcpPorts(InspectOutput.single(DOCKER_CREATED, "x"))).isEmpty();
    }

    @Test
    void emptyOrBrokenOutputIsAnError() {
        assertThatThrownBy(() -> InspectOutput.single("[]", "gone")).isInstanceOf(ContainerNotFoundException.class);
        assertThatThrownBy(() -> InspectOutput.single("{not json", "x"))
                .isInstanceOf(ContainerRuntimeException.class)
                .hasMessageContaining("cannot read inspect output for x");
    }

    /** Trimmed from real `podman network inspect` (podman 4.3, netavark): lower-case field names. */
    private static final String PODMAN_NETWORK = """
            [{"name":"galley-run-1","id":"2d3fc5c6","driver":"bridge","network_interface":"podman1",
              "created":"2026-11-29T18:26:55.576111329Z","subnets":[{"subnet":"10.89.0.0/24","gateway":"10.89.0.1"}],
              "internal":false,"dns_enabled":false,"options":{"isolate":"true"},
              "labels":{"galley.job_run_uuid":"run-1","galley.managed":"true","galley.node_uuid":"node-1"}}]
            """;

    /** The shape of `docker network inspect`: the same facts with Docker-API field names. */
    private static final String DOCKER_NETWORK = """
            [{"Name":"galley-run-2","Id":"9b1c","Created":"2024-05-01T10:00:00.123456789Z","Scope":"local","Driver":"bridge",
              "IPAM":{"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]},"Internal":false,
              "Labels":{"galley.managed":"true","galley.job_run_uuid":"run-2"}}]
            """;

    @Test
    void readsNetworksOfBothClis() {
        assertThat(InspectOutput.network(PODMAN_NETWORK)).contains(
                new ManagedNetwork("galley-run-1", "run-1", "node-1", Instant.parse("2026-11-29T18:26:55.576111329Z")));
        assertThat(InspectOutput.network(DOCKER_NETWORK)).contains(
                new ManagedNetwork("galley-run-2", "run-2", null, Instant.parse("2024-05-01T10:00:00.123456789Z")));
        assertThat(InspectOutput.network("[{\"name\":\"podman\"}]")).contains(new ManagedNetwork("podman", null, null, null));
        assertThat(InspectOutput.network("[]")).isEmpty();
        assertThatThrownBy(() -> InspectOutput.network("{not json")).isInstanceOf(ContainerRuntimeException.class);
    }
}
