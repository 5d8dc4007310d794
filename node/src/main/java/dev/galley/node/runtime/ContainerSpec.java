package dev.galley.node.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to start: the image, which run and node it belongs to, its limits and its network. Limits and
 * network are required: no container starts without a memory, CPU and pids limit or on a network it
 * shares with other runs by accident (spec §8). So is the node: a container without it could be taken
 * for another agent's on a shared engine.
 *
 * @param image        full reference including tag, e.g. {@code ghcr.io/acme/train:1.2}
 * @param jobRunUuid   becomes the {@value ContainerRuntime#LABEL_JOB_RUN_UUID} label
 * @param nodeUuid     the node whose agent starts it; becomes the {@value ContainerRuntime#LABEL_NODE_UUID}
 *                     label, by which the agent tells its containers from other nodes' on a shared engine
 * @param name         container name, or null to let the runtime choose
 * @param command      arguments replacing the image's CMD; empty keeps the image's own
 * @param env          variables to set inside the container
 * @param extraLabels  more labels; keys starting with {@code galley.} are reserved
 * @param limits       memory, CPU and pids limits
 * @param gpuDevices   GPU indices or uuids to hand to the container; only REAL GPUs (never ones from
 *                     {@code --simulate-gpu}); empty = no GPU flags at all
 * @param ports        container TCP ports to publish on 127.0.0.1 at a host port the runtime picks
 * @param network      the network to attach to (only this one); the agent gives each run its own
 * @param imageMounts  images whose files appear read-only at a path inside the container (podman only)
 */
public record ContainerSpec(
        String image,
        String jobRunUuid,
        String nodeUuid,
        String name,
        List<String> command,
        Map<String, String> env,
        Map<String, String> extraLabels,
        ContainerLimits limits,
        List<String> gpuDevices,
        List<Integer> ports,
        String network,
        List<ImageMount> imageMounts) {

    /** The files of {@code image} (a full reference, already pulled), read-only at {@code destination}. */
    public record ImageMount(String image, String destination) {
        public ImageMount {
            if (image == null || image.isBlank()) throw new IllegalArgumentException("image mount without an image");
            if (destination == null || !destination.startsWith("/") || destination.indexOf(',') >= 0)
                throw new IllegalArgumentException("image mount destination must be an absolute path without commas, was " + destination);
        }
    }

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** What docker and podman accept as a container or network name. */
    static final Pattern OBJECT_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    public ContainerSpec {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image must not be blank");
        if (jobRunUuid == null || jobRunUuid.isBlank()) throw new IllegalArgumentException("jobRunUuid must not be blank");
        if (name != null && !OBJECT_NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid container name '" + name + "'");
        Objects.requireNonNull(limits, "limits: every container needs memory, CPU and pids limits");
        if (network == null || !OBJECT_NAME.matcher(network).matches()) throw new IllegalArgumentException("invalid network name '" + network + "'");
        if (network.equals("host")) throw new IllegalArgumentException("network 'host' would give the container the node's own network");
        if (nodeUuid == null || nodeUuid.isBlank()) throw new IllegalArgumentException("nodeUuid must not be blank: every container is labelled with its node");
        command = List.copyOf(command);
        env = Map.copyOf(new LinkedHashMap<>(env));
        for (var e : env.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) throw new IllegalArgumentException("invalid env name '" + e.getKey() + "'");
            if (e.getValue().indexOf('\0') >= 0) throw new IllegalArgumentException("env " + e.getKey() + " contains a NUL character");
        }
        extraLabels = Map.copyOf(extraLabels);
        for (String key : extraLabels.keySet()) {
            if (key.startsWith("galley.")) throw new IllegalArgumentException("label " + key + " is reserved for the agent");
        }
        gpuDevices = List.copyOf(gpuDevices);
        ports = List.copyOf(ports);
        for (int port : ports) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (new HashSet<>(ports).size() != ports.size()) throw new IllegalArgumentException("duplicate ports in " + ports);
        imageMounts = List.copyOf(imageMounts);
    }

    public static Builder builder(String image, String jobRunUuid) {
        return new Builder(image, jobRunUuid);
    }

    /** Fills the optional parts one by one; {@link #build()} validates. */
    public static final class Builder {
        private final String image;
        private final String jobRunUuid;
        private String nodeUuid;
        private String name;
        private List<String> command = List.of();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> extraLabels = new LinkedHashMap<>();
        private ContainerLimits limits;
        private List<String> gpuDevices = List.of();
        private final List<Integer> ports = new ArrayList<>();
        private String network;
        private final List<ImageMount> imageMounts = new ArrayList<>();

        private Builder(String image, String jobRunUuid) {
            this.image = image;
            this.jobRunUuid = jobRunUuid;
        }

        public Builder nodeUuid(String nodeUuid) { this.nodeUuid = nodeUuid; return this; }
        public Builder name(String name) { this.name = name; return this; }
        public Builder command(List<String> command) { this.command = Objects.requireNonNull(command); return this; }
        public Builder command(String... command) { return command(List.of(command)); }
        public Builder env(String key, String value) { env.put(key, Objects.requireNonNull(value, key)); return this; }
        public Builder env(Map<String, String> all) { env.putAll(all); return this; }
        public Builder label(String key, String value) { extraLabels.put(key, value); return this; }
        public Builder limits(ContainerLimits limits) { this.limits = limits; return this; }
        public Builder gpuDevices(List<String> gpuDevices) { this.gpuDevices = Objects.requireNonNull(gpuDevices); return this; }
        public Builder port(int containerPort) { ports.add(containerPort); return this; }
        public Builder ports(List<Integer> containerPorts) { ports.addAll(containerPorts); return this; }
        public Builder network(String network) { this.network = network; return this; }
        public Builder imageMount(String image, String destination) { imageMounts.add(new ImageMount(image, destination)); return this; }

        public ContainerSpec build() {
            return new ContainerSpec(image, jobRunUuid, nodeUuid, name, command, env, extraLabels, limits,
                    gpuDevices, ports, network, imageMounts);
        }
    }
}
