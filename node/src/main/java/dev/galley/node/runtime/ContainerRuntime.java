package dev.galley.node.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The container and network operations a run supervisor needs, over whatever engine the machine has
 * (spec §6.2).
 *
 * <p>Decisions every implementation keeps:
 * <ul>
 *   <li><b>Labels.</b> Every container started here carries {@value #LABEL_MANAGED}{@code =true},
 *       {@value #LABEL_JOB_RUN_UUID}{@code =<run uuid>} and {@value #LABEL_NODE_UUID}{@code =<node uuid>}.
 *       {@link #listManaged()} finds them by label, stopped ones included, so a restarted agent re-attaches
 *       to its runs instead of losing them. It lists the containers of every node: several agents may
 *       share one engine, and the node label is how each tells its own apart.</li>
 *   <li><b>Ports.</b> Published ports are bound on 127.0.0.1 only, at a host port the runtime picks
 *       ({@code -p 127.0.0.1::PORT}), read back with {@link #publishedPorts}. Nothing a job publishes is
 *       reachable from outside directly: the agent exposes it through its own
 *       {@link dev.galley.node.proxy.PortProxy}, which enforces the job's {@code allowed_ips}.</li>
 *   <li><b>Isolation</b> (spec §8). Every container gets the {@link ContainerLimits} of its spec (memory
 *       with no extra swap, CPUs, pids), loses {@code NET_RAW}, and is attached to the one network its
 *       spec names, nothing else. Networks made with {@link #createNetwork} are isolated from each
 *       other (docker isolates bridge networks by default; podman needs {@code isolate=true}) but keep
 *       outbound access, and carry the same three labels as containers.</li>
 *   <li><b>Exit codes</b> come from {@code wait}/{@code inspect} of a detached container, never from
 *       {@code run --rm}: through podman's Docker-API socket {@code run --rm} was seen returning 0 for a
 *       container that exited 3.</li>
 *   <li><b>No implicit pulls.</b> {@link #start} never pulls (it runs with {@code --pull=never}); the
 *       caller pulls first with {@link #pull} so that pull failures and their credentials are explicit.</li>
 *   <li><b>Secrets stay out of argv</b> (other local users can read process arguments): env values and
 *       registry credentials are handed over another way, see {@link CliContainerRuntime}.</li>
 * </ul>
 * Methods throw {@link ContainerRuntimeException} (with the runtime's stderr) when a command fails, and
 * {@link ContainerNotFoundException} when the container does not exist.
 */
public interface ContainerRuntime {
    String LABEL_MANAGED = "galley.managed";
    String LABEL_JOB_RUN_UUID = "galley.job_run_uuid";
    /** The node (as registered with the server) whose agent started the container or made the network. */
    String LABEL_NODE_UUID = "galley.node_uuid";

    /** E.g. "podman 4.3.1 (/usr/bin/podman)", for logs and the node's metadata. */
    String description();

    /** True when exactly this reference (name:tag or digest) is already in local storage. */
    boolean imagePresent(String imageRef);

    /** The local image's size in bytes (reported as the job's {@code image_size_bytes}); empty when unknown. */
    default java.util.OptionalLong imageSizeBytes(String imageRef) {
        return java.util.OptionalLong.empty();
    }

    /** Pulls the image, with credentials when {@code authOrNull} is set; throws {@link ImagePullException} with the runtime's message. */
    void pull(String imageRef, RegistryAuth authOrNull);

    /** Creates and starts the container detached; returns its full id. */
    String start(ContainerSpec spec);

    ContainerState inspect(String containerId);

    /** Blocks until the container has exited and returns its exit code (from inspect). Interruptible. */
    int waitForExit(String containerId);

    /** Asks the container to stop (SIGTERM), killing it after {@code grace}. A container already stopped or gone is fine. */
    void stop(String containerId, Duration grace);

    /** Removes the container (forcibly, if it is still running). A container already gone is fine. */
    void remove(String containerId);

    /** Every container carrying {@value #LABEL_MANAGED}{@code =true}, running or not, whichever node's agent started it. */
    List<ManagedContainer> listManaged();

    /**
     * Follows the container's stdout and stderr from the start (or from {@code sinceOrNull}) as they
     * come, on a virtual thread, until the container exits or the stream is closed.
     */
    LogStream followLogs(String containerId, Instant sinceOrNull, LogSink sink);

    default LogStream followLogs(String containerId, LogSink sink) {
        return followLogs(containerId, null, sink);
    }

    /** Container TCP port → host port on 127.0.0.1, for the ports published by {@link #start}. */
    Map<Integer, Integer> publishedPorts(String containerId);

    /**
     * Creates a bridge network with outbound access, isolated from every other network this agent
     * creates, labelled as Galley's, as {@code jobRunUuid}'s and as {@code nodeUuid}'s. A network of that
     * name that already exists is fine (a repeated assignment after a crash).
     */
    void createNetwork(String name, String jobRunUuid, String nodeUuid);

    /**
     * Removes a network. One already gone is fine; one that still has containers attached is refused
     * by the runtime ({@link ContainerRuntimeException}), so this never cuts off a running container.
     */
    void removeNetwork(String name);

    /** Every network carrying {@value #LABEL_MANAGED}{@code =true}, whichever node's agent made it. */
    List<ManagedNetwork> listManagedNetworks();
}
