package dev.galley.node.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} over the {@code docker} or {@code podman} command line, run through
 * {@link ProcessBuilder} with argument lists and time limits.
 *
 * <p><b>Environment variables</b> are passed as {@code -e NAME} (name only) with the value in the CLI
 * process's own environment, which both CLIs copy into the container. That keeps values such as
 * {@code CONTAINER_ACCESS_TOKEN} out of argv, which every local user can read, and works for any value
 * (newlines included), which an {@code --env-file} does not. The exception are names that would change
 * how the CLI itself behaves if set in its environment ({@code PATH}, {@code HOME}, {@code DOCKER_*},
 * {@code CONTAINERS_*}, proxies …): those go as {@code -e NAME=value}.
 *
 * <p><b>GPUs</b>: docker takes {@code --gpus "device=0,1"} (NVIDIA Container Toolkit); podman takes one
 * CDI device per GPU, {@code --device nvidia.com/gpu=0} (needs {@code nvidia-ctk cdi generate} on the
 * host).
 */
public final class CliContainerRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(CliContainerRuntime.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    // Exact names, not prefixes, where a prefix would also catch job variables: CONTAINER_ACCESS_TOKEN
    // must not be treated like podman's CONTAINER_HOST.
    private static final Set<String> CLI_ENV_NAMES = Set.of("PATH", "HOME", "USER", "TMPDIR", "SHELL", "TZ", "LANG",
            "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "REGISTRY_AUTH_FILE", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "NOTIFY_SOCKET", "GODEBUG", "GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK",
            "CONTAINER_HOST", "CONTAINER_CONNECTION", "CONTAINER_SSHKEY", "CONTAINER_PASSPHRASE");
    private static final List<String> CLI_ENV_PREFIXES = List.of("DOCKER_", "CONTAINERS_", "PODMAN_", "BUILDAH_",
            "STORAGE_", "XDG_", "LD_", "LC_");

    private final Path executable;
    private final CliFlavor flavor;
    private final String version;
    private final Duration commandTimeout;
    private final Duration pullTimeout;

    /**
     * @param commandTimeout limit for ordinary commands (inspect, run -d, rm …)
     * @param pullTimeout    limit for a pull, which may move gigabytes
     */
    public CliContainerRuntime(Path executable, CliFlavor flavor, String version, Duration commandTimeout, Duration pullTimeout) {
        this.executable = executable;
        this.flavor = flavor;
        this.version = version;
        this.commandTimeout = commandTimeout;
        this.pullTimeout = pullTimeout;
    }

    public CliFlavor flavor() {
        return flavor;
    }

    public Path executable() {
        return executable;
    }

    @Override
    public String description() {
        return version + " (" + executable + ")";
    }

    @Override
    public boolean imagePresent(String imageRef) {
        CommandResult result = cli(List.of("image", "inspect", "--format", "{{.Id}}", imageRef));
        if (!result.ok() && !result.saysNoSuchObject()) {
            log.debug("image inspect {} failed: {}", imageRef, result.errorMessage());
        }
        return result.ok();
    }

    @Override
    public java.util.OptionalLong imageSizeBytes(String imageRef) {
        // docker and podman both know {{.Size}} for an image (bytes, uncompressed).
        CommandResult result = cli(List.of("image", "inspect", "--format", "{{.Size}}", imageRef));
        if (!result.ok()) return java.util.OptionalLong.empty();
        try {
            return java.util.OptionalLong.of(Long.parseLong(result.stdout().trim()));
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    @Override
    public void pull(String imageRef, RegistryAuth authOrNull) {
        Path authDir = authOrNull == null ? null : writeAuthFile(authOrNull);
        try {
            List<String> command = new ArrayList<>();
            command.add(executable.toString());
            if (authDir != null && flavor == CliFlavor.DOCKER) command.addAll(List.of("--config", authDir.toString()));
            command.addAll(List.of("pull", "-q"));
            if (authDir != null && flavor == CliFlavor.PODMAN) command.addAll(List.of("--authfile", authDir.resolve("config.json").toString()));
            command.add(imageRef);
            log.info("pulling {}{}", imageRef, authOrNull == null ? "" : " as " + authOrNull.user() + "@" + authOrNull.host());
            CommandResult result = CommandRunner.run(command, Map.of(), null, pullTimeout);
            if (!result.ok()) throw new ImagePullException(imageRef, result.errorMessage());
        } catch (ImagePullException e) {
            throw e;
        } catch (ContainerRuntimeException e) {
            // A timed-out or unstartable pull is a pull failure for the run, with the same reason code.
            throw new ImagePullException(imageRef, e.getMessage());
        } finally {
            if (authDir != null) deleteRecursively(authDir);
        }
    }

    /** A private directory holding config.json with just this registry's credentials (see {@link RegistryAuth}). */
    private Path writeAuthFile(RegistryAuth auth) {
        try {
            Path dir = Files.createTempDirectory("galley-auth-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ObjectNode root = JSON.createObjectNode();
            ObjectNode auths = root.putObject("auths");
            auths.putObject(auth.host()).put("auth", auth.basicAuthToken());
            if (auth.isDockerHub()) auths.putObject("https://index.docker.io/v1/").put("auth", auth.basicAuthToken());
            Path file = Files.createFile(dir.resolve("config.json"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new ImagePullException("", "cannot write a temporary registry auth file: " + e.getMessage());
        }
    }

    @Override
    public String start(ContainerSpec spec) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--pull=never"));
        if (spec.name() != null) args.addAll(List.of("--name", spec.name()));
        args.addAll(List.of("--label", LABEL_MANAGED + "=true", "--label", LABEL_JOB_RUN_UUID + "=" + spec.jobRunUuid(),
                "--label", LABEL_NODE_UUID + "=" + spec.nodeUuid()));
        spec.extraLabels().forEach((k, v) -> args.addAll(List.of("--label", k + "=" + v)));
        Map<String, String> childEnv = new HashMap<>();
        spec.env().forEach((name, value) -> {
            if (affectsTheCli(name)) {
                args.addAll(List.of("-e", name + "=" + value));
            } else {
                args.addAll(List.of("-e", name));
                childEnv.put(name, value);
            }
        });
        args.addAll(isolationArgs(spec));
        args.addAll(gpuArgs(spec.gpuDevices()));
        for (int port : spec.ports()) args.addAll(List.of("-p", "127.0.0.1::" + port + "/tcp"));
        if (!spec.imageMounts().isEmpty() && flavor != CliFlavor.PODMAN) {
            // Docker has no image mounts; copying an image's files into a volume is left for later.
            throw new ContainerRuntimeException("the job mounts volumes, which this node can do with podman only (it runs "
                    + executable + ")");
        }
        for (ContainerSpec.ImageMount m : spec.imageMounts()) {
            args.addAll(List.of("--mount", "type=image,source=" + m.image() + ",destination=" + m.destination()));
        }
        args.add(spec.image());
        args.addAll(spec.command());

        CommandResult result = CommandRunner.run(command(args), childEnv, null, commandTimeout);
        if (!result.ok()) {
            // run -d may have created the container before failing to start it (port clash, bad device);
            // leave nothing half-made behind under the run's name.
            if (spec.name() != null) quietlyRemove(spec.name());
            throw new ContainerRuntimeException("starting " + spec.image() + " for run " + spec.jobRunUuid() + " failed: " + result.errorMessage());
        }
        List<String> lines = result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) throw new ContainerRuntimeException("run -d printed no container id: " + result.errorMessage());
        String id = lines.getLast();
        log.info("started container {} for run {} from {}", shortId(id), spec.jobRunUuid(), spec.image());
        return id;
    }

    /**
     * The network (only the spec's), the limits and the capability drop every container gets. The memory
     * limit is also the memory+swap limit: without {@code --memory-swap} both CLIs let a container use as
     * much swap again as its memory limit. {@code NET_RAW} (raw sockets: spoofed packets, ARP games on the
     * bridge) is in docker's default set; podman 4 leaves it out already, dropping it again is harmless.
     */
    static List<String> isolationArgs(ContainerSpec spec) {
        ContainerLimits limits = spec.limits();
        String memory = Long.toString(limits.memoryBytes());
        return List.of("--network", spec.network(),
                "--cpus", java.math.BigDecimal.valueOf(limits.cpus()).stripTrailingZeros().toPlainString(),
                "--memory", memory, "--memory-swap", memory,
                "--pids-limit", Long.toString(limits.pidsLimit()),
                "--cap-drop", "NET_RAW");
    }

    private List<String> gpuArgs(List<String> devices) {
        if (devices.isEmpty()) return List.of();
        if (flavor == CliFlavor.PODMAN) {
            List<String> args = new ArrayList<>();
            for (String device : devices) args.addAll(List.of("--device", "nvidia.com/gpu=" + device));
            return args;
        }
        // Docker's --gpus value is itself CSV, so a list of devices must be quoted inside the value.
        return List.of("--gpus", "\"device=" + String.join(",", devices) + "\"");
    }

    static boolean affectsTheCli(String envName) {
        String upper = envName.toUpperCase(Locale.ROOT);
        if (CLI_ENV_NAMES.contains(upper)) return true;
        for (String prefix : CLI_ENV_PREFIXES) if (upper.startsWith(prefix)) return true;
        return false;
    }

    @Override
    public ContainerState inspect(String containerId) {
        return InspectOutput.state(inspectJson(containerId));
    }

    private com.fasterxml.jackson.databind.JsonNode inspectJson(String containerId) {
        CommandResult result = cli(List.of("container", "inspect", containerId));
        if (!result.ok()) {
            if (result.saysNoSuchObject()) throw new ContainerNotFoundException(containerId, result.errorMessage());
            throw failure(result);
        }
        return InspectOutput.single(result.stdout(), containerId);
    }

    @Override
    public int waitForExit(String containerId) {
        CommandResult waited = CommandRunner.run(command(List.of("wait", containerId)), Map.of(), null, null);
        if (!waited.ok()) {
            if (waited.saysNoSuchObject()) throw new ContainerNotFoundException(containerId, waited.errorMessage());
            throw failure(waited);
        }
        // inspect is the authoritative source; wait's own output is the fallback if the container vanished meanwhile.
        try {
            ContainerState state = inspect(containerId);
            if (state.exitCode() != null) return state.exitCode();
        } catch (ContainerNotFoundException e) {
            log.debug("container {} gone right after wait; using wait's exit code", shortId(containerId));
        }
        String printed = waited.stdout().strip();
        try {
            return Integer.parseInt(printed.lines().reduce((a, b) -> b).orElse("").strip());
        } catch (NumberFormatException e) {
            throw new ContainerRuntimeException("no exit code for " + containerId + ": wait printed '" + printed + "'");
        }
    }

    @Override
    public void stop(String containerId, Duration grace) {
        long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        CommandResult result = CommandRunner.run(command(List.of("stop", "-t", Long.toString(seconds), containerId)),
                Map.of(), null, commandTimeout.plus(Duration.ofSeconds(seconds)));
        if (!result.ok() && !result.saysNoSuchObject()) throw failure(result);
    }

    @Override
    public void remove(String containerId) {
        CommandResult result = cli(removeArgs(containerId));
        if (!result.ok() && !result.saysNoSuchObject()) throw failure(result);
    }

    /** docker's {@code rm -f} kills at once; podman's first waits its 10 s stop timeout unless told {@code -t 0}. */
    private List<String> removeArgs(String containerId) {
        return flavor == CliFlavor.PODMAN ? List.of("rm", "-f", "-t", "0", containerId) : List.of("rm", "-f", containerId);
    }

    private void quietlyRemove(String containerId) {
        try {
            cli(removeArgs(containerId));
        } catch (ContainerRuntimeException e) {
            log.debug("cleanup of {} failed: {}", containerId, e.getMessage());
        }
    }

    @Override
    public List<ManagedContainer> listManaged() {
        CommandResult result = cli(List.of("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + LABEL_MANAGED + "=true"));
        if (!result.ok()) throw failure(result);
        List<ManagedContainer> containers = new ArrayList<>();
        for (String id : result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList()) {
            try {
                ContainerState state = inspect(id);
                containers.add(new ManagedContainer(state.id(), state.name(), state.jobRunUuid(), state));
            } catch (ContainerNotFoundException e) {
                // Removed between ps and inspect: not ours to report any more.
            }
        }
        return containers;
    }

    @Override
    public LogStream followLogs(String containerId, Instant sinceOrNull, LogSink sink) {
        inspectJson(containerId); // fail here with ContainerNotFoundException rather than feed the CLI's error into the sink
        List<String> args = new ArrayList<>(List.of("logs", "-f"));
        if (sinceOrNull != null) args.addAll(List.of("--since", sinceOrNull.toString()));
        args.add(containerId);
        Process process;
        try {
            // Both of the CLI's streams carry the container's output (its stdout and stderr); merge them.
            process = new ProcessBuilder(command(args)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot run " + executable + " logs: " + e.getMessage(), e);
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread.ofVirtual().name("logs-" + shortId(containerId)).start(() -> {
            try (Reader reader = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                int n;
                while ((n = reader.read(buffer)) >= 0) {
                    if (n > 0) sink.accept(new String(buffer, 0, n));
                }
            } catch (IOException e) {
                log.debug("log stream of {} ended: {}", shortId(containerId), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("log sink for {} failed; no longer following", shortId(containerId), e);
                process.destroyForcibly();
            } finally {
                ended.countDown();
            }
        });
        return new LogStream() {
            @Override
            public boolean awaitEnd(Duration timeout) throws InterruptedException {
                return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                process.destroyForcibly();
            }
        };
    }

    @Override
    public Map<Integer, Integer> publishedPorts(String containerId) {
        return InspectOutput.tcpPorts(inspectJson(containerId));
    }

    @Override
    public void createNetwork(String name, String jobRunUuid, String nodeUuid) {
        CommandResult result = cli(networkCreateArgs(name, jobRunUuid, nodeUuid));
        if (!result.ok() && !result.saysAlreadyExists()) {
            throw new ContainerRuntimeException("creating network " + name + " failed: " + result.errorMessage());
        }
    }

    /**
     * Docker isolates user-defined bridge networks from each other by itself. Podman (netavark) routes
     * between them unless they are created with {@code isolate=true}; its DNS server is off, as on
     * podman's default network, so containers resolve names with the host's resolvers as before.
     */
    List<String> networkCreateArgs(String name, String jobRunUuid, String nodeUuid) {
        if (!ContainerSpec.OBJECT_NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid network name '" + name + "'");
        if (nodeUuid == null || nodeUuid.isBlank()) throw new IllegalArgumentException("a run's network needs its node's uuid");
        List<String> args = new ArrayList<>(List.of("network", "create", "--driver", "bridge",
                "--label", LABEL_MANAGED + "=true", "--label", LABEL_JOB_RUN_UUID + "=" + jobRunUuid,
                "--label", LABEL_NODE_UUID + "=" + nodeUuid));
        if (flavor == CliFlavor.PODMAN) args.addAll(List.of("--opt", "isolate=true", "--disable-dns"));
        args.add(name);
        return args;
    }

    @Override
    public void removeNetwork(String name) {
        CommandResult result = cli(List.of("network", "rm", name));
        if (!result.ok() && !result.saysNoSuchNetwork()) throw failure(result);
    }

    @Override
    public List<ManagedNetwork> listManagedNetworks() {
        CommandResult result = cli(List.of("network", "ls", "--filter", "label=" + LABEL_MANAGED + "=true", "--format", "{{.Name}}"));
        if (!result.ok()) throw failure(result);
        List<ManagedNetwork> networks = new ArrayList<>();
        for (String name : result.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).distinct().toList()) {
            // One at a time: podman fails a whole multi-name inspect when one of them was removed meanwhile.
            CommandResult inspected = cli(List.of("network", "inspect", name));
            if (!inspected.ok()) {
                if (inspected.saysNoSuchNetwork()) continue;
                throw failure(inspected);
            }
            InspectOutput.network(inspected.stdout()).ifPresent(networks::add);
        }
        return networks;
    }

    private CommandResult cli(List<String> args) {
        return CommandRunner.run(command(args), Map.of(), null, commandTimeout);
    }

    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(executable.toString());
        command.addAll(args);
        return command;
    }

    private static ContainerRuntimeException failure(CommandResult result) {
        return new ContainerRuntimeException(result.describe() + " failed (exit " + result.exitCode() + "): " + result.errorMessage());
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("could not delete temporary auth file {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("could not delete temporary auth directory {}: {}", dir, e.getMessage());
        }
    }
}
