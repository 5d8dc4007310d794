package dev.galley.node.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code docker inspect} / {@code podman inspect} JSON (containers, and networks below). Both print an array of objects with the
 * same Docker-API field names ({@code Id, Name, State{Status, Running, ExitCode, StartedAt, FinishedAt},
 * Config.Labels, NetworkSettings.Ports}), so one reader serves both CLIs.
 */
final class InspectOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Go's zero time, which both runtimes print for "never". */
    private static final int GO_ZERO_YEAR = 1;

    private InspectOutput() {}

    static JsonNode single(String inspectJson, String containerId) {
        JsonNode root;
        try {
            root = JSON.readTree(inspectJson);
        } catch (JsonProcessingException e) {
            throw new ContainerRuntimeException("cannot read inspect output for " + containerId + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) throw new ContainerNotFoundException(containerId, "inspect returned nothing");
        return root.get(0);
    }

    static ContainerState state(JsonNode container) {
        JsonNode state = container.path("State");
        boolean running = state.path("Running").asBoolean(false);
        Instant startedAt = time(state.path("StartedAt").asText(null));
        Instant finishedAt = time(state.path("FinishedAt").asText(null));
        // Docker reports ExitCode 0 for a container that never ran: only a finished one has a real exit code.
        Integer exitCode = !running && finishedAt != null && state.has("ExitCode") ? state.get("ExitCode").asInt() : null;
        String name = container.path("Name").asText("");
        if (name.startsWith("/")) name = name.substring(1); // docker prefixes names with '/'
        return new ContainerState(container.path("Id").asText(), name, state.path("Status").asText(""), running,
                exitCode, startedAt, finishedAt, labels(container.path("Config").path("Labels")));
    }

    /** "8080/tcp" → [{"HostIp": "127.0.0.1", "HostPort": "39463"}] becomes 8080 → 39463; udp and unbound ports are left out. */
    static Map<Integer, Integer> tcpPorts(JsonNode container) {
        Map<Integer, Integer> result = new LinkedHashMap<>();
        JsonNode ports = container.path("NetworkSettings").path("Ports");
        for (Iterator<Map.Entry<String, JsonNode>> it = ports.fields(); it.hasNext(); ) {
            var entry = it.next();
            String[] portAndProto = entry.getKey().split("/");
            if (portAndProto.length == 2 && !portAndProto[1].equals("tcp")) continue;
            JsonNode bindings = entry.getValue();
            if (bindings == null || !bindings.isArray() || bindings.isEmpty()) continue;
            String hostPort = bindings.get(0).path("HostPort").asText("");
            if (hostPort.isEmpty()) continue;
            result.put(Integer.parseInt(portAndProto[0]), Integer.parseInt(hostPort));
        }
        return result;
    }

    /**
     * The first network of {@code network inspect} output. Docker writes {@code Name, Labels, Created};
     * podman 4 writes the same fields in lower case.
     */
    static Optional<ManagedNetwork> network(String inspectJson) {
        JsonNode root;
        try {
            root = JSON.readTree(inspectJson);
        } catch (JsonProcessingException e) {
            throw new ContainerRuntimeException("cannot read network inspect output: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isArray() || root.isEmpty()) return Optional.empty();
        JsonNode network = root.get(0);
        String name = either(network, "Name", "name").asText("");
        if (name.isEmpty()) return Optional.empty();
        Map<String, String> labels = labels(either(network, "Labels", "labels"));
        return Optional.of(new ManagedNetwork(name, labels.get(ContainerRuntime.LABEL_JOB_RUN_UUID),
                labels.get(ContainerRuntime.LABEL_NODE_UUID), time(either(network, "Created", "created").asText(null))));
    }

    private static JsonNode either(JsonNode node, String dockerName, String podmanName) {
        return node.has(dockerName) ? node.path(dockerName) : node.path(podmanName);
    }

    private static Map<String, String> labels(JsonNode labels) {
        Map<String, String> result = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            var entry = it.next();
            result.put(entry.getKey(), entry.getValue().asText());
        }
        return result;
    }

    static Instant time(String text) {
        if (text == null || text.isBlank()) return null;
        try {
            OffsetDateTime parsed = OffsetDateTime.parse(text.strip());
            return parsed.getYear() <= GO_ZERO_YEAR ? null : parsed.toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
