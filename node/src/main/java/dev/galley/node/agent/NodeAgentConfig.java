package dev.galley.node.agent;

import dev.galley.client.RetryPolicy;
import dev.galley.node.protocol.ControlPlaneClient;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How one agent behaves. {@link #defaults} gives the production values; tests shorten the intervals
 * with the {@code with…} copies.
 *
 * @param name              the node's name, unique per account (registering it again updates that node)
 * @param regionCode        e.g. {@code eu-west-1}
 * @param publicHost        the host name clients use to reach published ports; goes into {@code node_urls}
 * @param bindAddress       where the port proxies listen ({@code 0.0.0.0} = every interface)
 * @param heartbeatInterval the server marks a node OFFLINE after 30 s of silence, so well below that
 * @param telemetryInterval how often the agent samples the machine's load; every heartbeat carries the latest
 *                          sample, and the server keeps at most one per its own interval (default also 60 s)
 * @param pollWait          how long one assignments long-poll may wait (server maximum 60 s)
 * @param stopGrace         SIGTERM-to-SIGKILL time when the agent stops a container
 * @param logFlushInterval  output is sent at least this often while a run prints
 * @param keepContainers    leave finished containers in place for debugging instead of removing them
 * @param retryPolicy       the backoff of the agent's own retry loops (poll, final statuses, output), which
 *                          keep going for as long as the server is away; the same as the protocol client's
 * @param runLimits         memory, CPU and pids limits of each run's container
 * @param agentVersion      reported at registration
 */
public record NodeAgentConfig(
        String name,
        String regionCode,
        String publicHost,
        InetAddress bindAddress,
        Duration heartbeatInterval,
        Duration telemetryInterval,
        Duration pollWait,
        Duration stopGrace,
        Duration logFlushInterval,
        boolean keepContainers,
        RetryPolicy retryPolicy,
        RunLimitPolicy runLimits,
        String agentVersion) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TELEMETRY = Duration.ofSeconds(60);

    public NodeAgentConfig {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("the node name must not be blank");
        if (regionCode == null || regionCode.isBlank()) throw new IllegalArgumentException("the region code must not be blank");
        if (publicHost == null || publicHost.isBlank()) throw new IllegalArgumentException("the public host must not be blank");
        Objects.requireNonNull(bindAddress, "bindAddress");
        positive(heartbeatInterval, "heartbeat interval");
        positive(telemetryInterval, "telemetry interval");
        if (pollWait == null || pollWait.isNegative() || pollWait.toMillis() > 60_000) throw new IllegalArgumentException("poll wait must be 0..60 s");
        if (stopGrace == null || stopGrace.isNegative()) throw new IllegalArgumentException("stop grace must be >= 0");
        positive(logFlushInterval, "log flush interval");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        // A zero backoff would turn a loop waiting for a server that is away into a busy loop.
        positive(retryPolicy.initialBackoff(), "retry backoff");
        Objects.requireNonNull(runLimits, "runLimits");
        Objects.requireNonNull(agentVersion, "agentVersion");
    }

    public static NodeAgentConfig defaults(String name, String regionCode, String publicHost, InetAddress bindAddress) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, DEFAULT_HEARTBEAT, DEFAULT_TELEMETRY, DEFAULT_POLL_WAIT,
                Duration.ofSeconds(10), Duration.ofMillis(500), false, ControlPlaneClient.DEFAULT_RETRY_POLICY,
                RunLimitPolicy.defaults(Runtime.getRuntime().availableProcessors()), defaultAgentVersion());
    }

    public NodeAgentConfig withHeartbeatInterval(Duration d) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, d, telemetryInterval, pollWait, stopGrace, logFlushInterval, keepContainers, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withTelemetryInterval(Duration d) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, d, pollWait, stopGrace, logFlushInterval, keepContainers, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withPollWait(Duration d) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, d, stopGrace, logFlushInterval, keepContainers, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withStopGrace(Duration d) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, pollWait, d, logFlushInterval, keepContainers, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withLogFlushInterval(Duration d) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, pollWait, stopGrace, d, keepContainers, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withKeepContainers(boolean keep) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, pollWait, stopGrace, logFlushInterval, keep, retryPolicy, runLimits, agentVersion);
    }

    public NodeAgentConfig withRetryPolicy(RetryPolicy b) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, pollWait, stopGrace, logFlushInterval, keepContainers, b, runLimits, agentVersion);
    }

    public NodeAgentConfig withRunLimits(RunLimitPolicy limits) {
        return new NodeAgentConfig(name, regionCode, publicHost, bindAddress, heartbeatInterval, telemetryInterval, pollWait, stopGrace, logFlushInterval, keepContainers, retryPolicy, limits, agentVersion);
    }

    /** "galley-node VERSION" from the jar manifest, or "galley-node dev" when run from classes. */
    static String defaultAgentVersion() {
        String version = NodeAgentConfig.class.getPackage().getImplementationVersion();
        return "galley-node " + (version == null ? "dev" : version);
    }

    private static void positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
    }
}
