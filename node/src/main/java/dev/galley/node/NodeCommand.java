package dev.galley.node;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import dev.galley.core.spec.RegionCodes;
import dev.galley.node.agent.NodeAgent;
import dev.galley.node.agent.NodeAgentConfig;
import dev.galley.node.agent.RunLimitPolicy;
import dev.galley.node.hardware.Hardware;
import dev.galley.node.hardware.HardwareProbe;
import dev.galley.node.hardware.LoadSampler;
import dev.galley.node.hardware.SimulatedCapacity;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.node.protocol.ControlPlaneException;
import dev.galley.node.protocol.ControlPlaneUnavailableException;
import dev.galley.node.runtime.ContainerLimits;
import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimeException;
import dev.galley.node.runtime.ContainerRuntimes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code galley node}: turns this machine into a Galley node (spec §6.2) until SIGTERM / Ctrl-C.
 *
 * <p>Exit codes: 0 after a graceful shutdown; 2 for anything that stops it from starting (bad flags, an
 * unreachable server, a rejected key, no container runtime), each explained in one line on stderr.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run this machine as a Galley node: register its hardware, take assigned runs and run them as",
                "containers with docker or podman. Stops gracefully on SIGTERM; running containers are left",
                "running and re-attached on the next start."},
        footer = {"", "Environment: GALLEY_URL and GALLEY_API_KEY (pk_…:sk_… of a key with the compute_node preset)",
                "are used when --server / --api-key are absent.", "",
                "Example:",
                "  GALLEY_API_KEY=pk_…:sk_… galley node --server https://galley.example.com --region eu-west-1"})
public final class NodeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);
    static final int OK = 0;
    static final int CANNOT_START = 2;

    @Option(names = "--server", paramLabel = "URL", description = "the Galley server (default: $GALLEY_URL)")
    String server;

    @Option(names = "--api-key", paramLabel = "PK:SK",
            description = "a compute_node key as pk_…:sk_… (default: $GALLEY_API_KEY; the flag is visible in the process list)")
    String apiKey;

    @Option(names = "--region", paramLabel = "CODE", required = true, description = "the node's region, e.g. eu-west-1")
    String region;

    @Option(names = "--name", paramLabel = "NAME", description = "the node's name, unique per account (default: this machine's host name)")
    String name;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where the agent keeps its data; its disk is reported (default: ~/.galley/node)")
    Path workDir;

    @Option(names = "--runtime", paramLabel = "docker|podman", description = "the container runtime (default: docker if it works, else podman)")
    String runtime;

    @Option(names = "--public-host", paramLabel = "HOST",
            description = "host name or address clients use to reach published ports (default: this machine's host name)")
    String publicHost;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "address the port proxies listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--simulate-gpu", paramLabel = "NAME:VRAM_GB:COUNT", converter = SimulatedGpuConverter.class,
            description = "advertise GPUs this machine does not have, for testing placement (repeatable)")
    List<SimulatedCapacity.SimulatedGpu> simulatedGpus = new ArrayList<>();

    @Option(names = "--extra-cpu", paramLabel = "N", defaultValue = "0", description = "advertise N more CPU cores than probed")
    int extraCpu;

    @Option(names = "--extra-ram-gb", paramLabel = "GB", defaultValue = "0", description = "advertise more RAM than probed")
    double extraRamGb;

    @Option(names = "--extra-storage-gb", paramLabel = "GB", defaultValue = "0", description = "advertise more disk than probed")
    double extraStorageGb;

    @Option(names = "--heartbeat-ms", paramLabel = "MS", defaultValue = "5000",
            description = "heartbeat interval; the server marks a node OFFLINE after 30 s without one (default: ${DEFAULT-VALUE})")
    long heartbeatMs;

    @Option(names = "--telemetry-interval-ms", paramLabel = "MS", defaultValue = "60000",
            description = "how often to sample this machine's CPU, RAM, disk and GPU load; heartbeats carry the latest"
                    + " sample (1000..3600000, default: ${DEFAULT-VALUE})")
    long telemetryIntervalMs;

    @Option(names = "--keep-containers", description = "keep finished containers for debugging instead of removing them")
    boolean keepContainers;

    @Option(names = "--default-run-memory-gb", paramLabel = "GB", defaultValue = "1",
            description = "memory limit of a run whose job asks for no RAM (min_ram_gb 0) (default: ${DEFAULT-VALUE})")
    double defaultRunMemoryGb;

    @Option(names = "--default-run-cpus", paramLabel = "N", defaultValue = "1",
            description = "CPU limit of a run whose job asks for no cores (cpu_count 0) (default: ${DEFAULT-VALUE})")
    double defaultRunCpus;

    @Option(names = "--run-pids-limit", paramLabel = "N", defaultValue = "4096",
            description = "most processes and threads one run may have at once (default: ${DEFAULT-VALUE})")
    long runPidsLimit;

    private final Map<String, String> env;
    private final PrintStream err;
    private final Function<String, ContainerRuntime> runtimeDetector;
    private final boolean installShutdownHook;

    /** The real environment, stderr, runtime detection and a SIGTERM hook. */
    public NodeCommand() {
        this(System.getenv(), System.err, ContainerRuntimes::detect, true);
    }

    /** For tests: the environment, the error stream and how to find a container runtime. */
    public NodeCommand(Map<String, String> env, PrintStream err, Function<String, ContainerRuntime> runtimeDetector,
                       boolean installShutdownHook) {
        this.env = Map.copyOf(env);
        this.err = err;
        this.runtimeDetector = runtimeDetector;
        this.installShutdownHook = installShutdownHook;
    }

    @Override
    public Integer call() {
        NodeAgent agent;
        try {
            agent = startAgent();
        } catch (CannotStart e) {
            err.println("galley node: " + e.getMessage());
            return CANNOT_START;
        }
        if (installShutdownHook) {
            Thread hook = new Thread(agent::shutdown, "galley-node-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            agent.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            agent.shutdown();
        }
        return OK;
    }

    /** Validates the flags, finds the runtime, probes the hardware, registers and starts the loops. */
    NodeAgent startAgent() {
        GalleyClient http = client();
        if (!RegionCodes.isValid(region)) {
            throw new CannotStart("--region '" + region + "' is not a known region code; one of " + String.join(", ", RegionCodes.ALL));
        }
        if (heartbeatMs < 500 || heartbeatMs > 25_000) {
            throw new CannotStart("--heartbeat-ms must be 500..25000 (the server marks a node OFFLINE after 30 s of silence), got " + heartbeatMs);
        }
        if (telemetryIntervalMs < 1_000 || telemetryIntervalMs > 3_600_000) {
            throw new CannotStart("--telemetry-interval-ms must be 1000..3600000, got " + telemetryIntervalMs);
        }
        checkRunLimitFlags();
        InetAddress bindAddress = bindAddress();
        SimulatedCapacity simulated;
        try {
            simulated = new SimulatedCapacity(simulatedGpus, extraCpu, extraRamGb, extraStorageGb);
        } catch (IllegalArgumentException e) {
            throw new CannotStart(e.getMessage());
        }
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("user.home"), ".galley", "node");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CannotStart("cannot create the work directory " + dir + ": " + e.getMessage());
        }

        ContainerRuntime containers;
        try {
            containers = runtimeDetector.apply(runtime);
        } catch (ContainerRuntimeException e) {
            throw new CannotStart(e.getMessage() + " To install podman on Debian/Ubuntu: sudo apt-get install -y podman"
                    + " (see docs/node-agent.md).");
        }
        LoadSampler sampler = LoadSampler.forThisMachine(dir, Clock.systemUTC());
        Hardware probed;
        try {
            probed = HardwareProbe.probe(dir);
        } catch (RuntimeException e) {
            throw new CannotStart("cannot read this machine's hardware: " + e.getMessage());
        }
        Hardware hardware = simulated.applyTo(probed);
        RunLimitPolicy runLimits = runLimits(probed.totalCores());

        String nodeName = name != null ? name.strip() : localHostName();
        String host = publicHost != null ? publicHost.strip() : localHostName();
        NodeAgentConfig config;
        try {
            config = NodeAgentConfig.defaults(nodeName, region, host, bindAddress)
                    .withHeartbeatInterval(Duration.ofMillis(heartbeatMs))
                    .withTelemetryInterval(Duration.ofMillis(telemetryIntervalMs))
                    .withKeepContainers(keepContainers)
                    .withRunLimits(runLimits);
        } catch (IllegalArgumentException e) {
            throw new CannotStart(e.getMessage());
        }
        ControlPlaneClient controlPlane = new ControlPlaneClient(http);
        NodeAgent agent = new NodeAgent(config, hardware, containers, controlPlane, Clock.systemUTC(), sampler::sample);
        try {
            agent.start();
        } catch (ControlPlaneUnavailableException e) {
            throw new CannotStart("cannot reach the Galley server at " + http.baseUrl() + ": " + e.getMessage());
        } catch (ControlPlaneException e) {
            if (e.isKeyRejected()) {
                throw new CannotStart("the server at " + http.baseUrl() + " rejected the API key (HTTP " + e.status()
                        + "): a node needs a key with the compute_node preset (" + e.getMessage() + ")");
            }
            throw new CannotStart("the server at " + http.baseUrl() + " refused to register this node: " + e.getMessage());
        }
        log.info("using {}; proxies bind on {}; published ports are announced as {}", containers.description(),
                bindAddress.getHostAddress(), host);
        log.info("each run gets its own network and at most {} processes; a job without cpu_count gets {} CPUs,"
                + " one without min_ram_gb {} GB of memory", runLimits.pidsLimit(), runLimits.defaultCpus(), defaultRunMemoryGb);
        return agent;
    }

    /** Checks the per-run limit flags before anything else happens, so that a bad value names its flag. */
    private void checkRunLimitFlags() {
        if (!(defaultRunMemoryGb > 0) || !Double.isFinite(defaultRunMemoryGb)
                || RunLimitPolicy.gigabytes(defaultRunMemoryGb) < ContainerLimits.MIN_MEMORY_BYTES) {
            throw new CannotStart("--default-run-memory-gb must be at least 0.006 (6 MiB), got " + defaultRunMemoryGb);
        }
        if (!(defaultRunCpus > 0) || !Double.isFinite(defaultRunCpus)) {
            throw new CannotStart("--default-run-cpus must be > 0, got " + defaultRunCpus);
        }
        if (runPidsLimit < 1) throw new CannotStart("--run-pids-limit must be > 0, got " + runPidsLimit);
    }

    private RunLimitPolicy runLimits(int hostCpus) {
        return new RunLimitPolicy(RunLimitPolicy.gigabytes(defaultRunMemoryGb), defaultRunCpus, runPidsLimit, Math.max(1, hostCpus));
    }

    private GalleyClient client() {
        String urlSource = server != null ? "--server" : "GALLEY_URL";
        String url = server != null ? server : env.get("GALLEY_URL");
        if (url == null || url.isBlank()) throw new CannotStart("no server: pass --server URL or set GALLEY_URL");
        String keySource = apiKey != null ? "--api-key" : "GALLEY_API_KEY";
        String keyText = apiKey != null ? apiKey : env.get("GALLEY_API_KEY");
        if (keyText == null || keyText.isBlank()) {
            throw new CannotStart("no API key: pass --api-key pk_…:sk_… or set GALLEY_API_KEY (a key with the compute_node preset)");
        }
        ApiKeyPair key;
        try {
            key = ApiKeyPair.parse(keyText);
        } catch (IllegalArgumentException e) {
            throw new CannotStart(keySource + ": " + e.getMessage());
        }
        try {
            // Long-polls wait up to 30 s; allow for them plus a slow network.
            return GalleyClient.builder(new URI(url.strip()), key).requestTimeout(Duration.ofSeconds(90)).build();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new CannotStart(urlSource + " '" + url + "' is not usable: " + e.getMessage());
        }
    }

    private InetAddress bindAddress() {
        String text = bind.strip();
        // Only literal addresses: resolving a name here could pick an unexpected interface.
        if (!text.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            throw new CannotStart("--bind expects an IP address such as 0.0.0.0 or 127.0.0.1, got '" + bind + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new CannotStart("--bind '" + bind + "' is not an IP address: " + e.getMessage());
        }
    }

    /** This machine's host name, or 127.0.0.1 when it has none that resolves. */
    static String localHostName() {
        try {
            String hostName = InetAddress.getLocalHost().getHostName();
            if (hostName != null && !hostName.isBlank()) return hostName;
        } catch (UnknownHostException e) {
            log.debug("no resolvable host name: {}", e.getMessage());
        }
        return "127.0.0.1";
    }

    /** picocli converter for {@code --simulate-gpu}. */
    static final class SimulatedGpuConverter implements ITypeConverter<SimulatedCapacity.SimulatedGpu> {
        @Override
        public SimulatedCapacity.SimulatedGpu convert(String value) {
            return SimulatedCapacity.SimulatedGpu.parse(value);
        }
    }

    /** Something that stops the agent from starting; its message is the one line the user sees. */
    static final class CannotStart extends RuntimeException {
        CannotStart(String message) {
            super(message);
        }
    }
}
