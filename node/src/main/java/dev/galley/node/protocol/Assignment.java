package dev.galley.node.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run for this node to start ({@code assignment}): the run, the job with its real secrets, and the
 * environment the server wants injected ({@code CONTAINER_ACCESS_TOKEN}, {@code GALLEY_*},
 * {@code SSH_PUBKEY}), which wins over the job's own {@code env} on a name clash.
 *
 * <p>Read leniently from the JSON tree: fields the agent does not use are ignored, so a newer server
 * that adds fields does not break older agents.
 */
public record Assignment(AssignedRun run, AssignedJob job, Map<String, String> env) {
    public Assignment {
        env = Map.copyOf(env);
    }

    /** @throws IllegalArgumentException when a part the agent needs is missing */
    public static Assignment fromJson(JsonNode node) {
        JsonNode run = node.path("job_run");
        List<Integer> gpus = new ArrayList<>();
        for (JsonNode gpu : run.path("gpu_devices")) gpus.add(gpu.asInt());
        AssignedRun assignedRun = new AssignedRun(text(run, "uuid"), text(run, "job_uuid"),
                run.path("node_index").asInt(0), run.path("attempt").asInt(1), gpus);

        JsonNode job = node.path("job");
        JsonNode params = job.path("parameters").path("parameters");
        List<Integer> ports = new ArrayList<>();
        for (JsonNode port : params.path("ports")) ports.add(port.asInt());
        List<String> allowed = new ArrayList<>();
        for (JsonNode ip : params.path("allowed_ips")) allowed.add(ip.asText());
        List<ContainerParameters.Volume> volumes = new ArrayList<>();
        for (JsonNode v : params.path("volumes")) {
            volumes.add(new ContainerParameters.Volume(text(v, "image"), text(v, "tag"), text(v, "registry"), text(v, "user"),
                    text(v, "secret"), text(v, "mount")));
        }
        ContainerParameters container = new ContainerParameters(text(params, "image"), text(params, "tag"),
                text(params, "host"), text(params, "user"), text(params, "secret"), stringMap(params.path("env")),
                ports, allowed, volumes);
        JsonNode timeout = job.path("max_timeout_run_ms");
        AssignedJob assignedJob = new AssignedJob(text(job, "uuid"), text(job, "task"), job.path("cpu_count").asInt(0),
                job.path("min_ram_gb").asDouble(0), timeout.isNumber() ? timeout.asLong() : null, container);
        return new Assignment(assignedRun, assignedJob, stringMap(node.path("env")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }
}
