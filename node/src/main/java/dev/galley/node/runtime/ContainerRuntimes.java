package dev.galley.node.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a container runtime that actually works on this machine.
 *
 * <p>Being on the PATH is not enough: a {@code docker} client without an engine (as on the development
 * machines) is installed but useless. Each candidate must answer {@code info} within a time limit. Without
 * a preference, {@code docker} is tried first (the usual engine on GPU hosts, with the NVIDIA toolkit),
 * then {@code podman}; the first that answers wins.
 */
public final class ContainerRuntimes {
    private static final Logger log = LoggerFactory.getLogger(ContainerRuntimes.class);
    private static final List<String> CANDIDATES = List.of("docker", "podman");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(60);

    private ContainerRuntimes() {}

    /**
     * @param preferredOrNull "docker", "podman", or a path to either; null to try both
     * @throws ContainerRuntimeException naming every candidate and why it did not work
     */
    public static CliContainerRuntime detect(String preferredOrNull) {
        List<String> candidates = preferredOrNull == null || preferredOrNull.isBlank() ? CANDIDATES : List.of(preferredOrNull.strip());
        List<String> problems = new ArrayList<>();
        for (String candidate : candidates) {
            Optional<Path> executable = candidate.contains("/") ? Optional.of(Path.of(candidate)).filter(Files::isExecutable) : findOnPath(candidate);
            if (executable.isEmpty()) {
                problems.add(candidate + ": not found" + (candidate.contains("/") ? "" : " on PATH"));
                continue;
            }
            try {
                CliContainerRuntime runtime = tryRuntime(executable.get());
                log.info("container runtime: {}", runtime.description());
                return runtime;
            } catch (ContainerRuntimeException e) {
                problems.add(candidate + " (" + executable.get() + "): " + e.getMessage());
            }
        }
        throw new ContainerRuntimeException("no working container runtime: " + String.join("; ", problems)
                + ". Install podman (see scripts/setup-containers.sh) or start the Docker engine.");
    }

    private static CliContainerRuntime tryRuntime(Path executable) {
        CommandResult info = CommandRunner.run(List.of(executable.toString(), "info"), Map.of(), null, PROBE_TIMEOUT);
        if (!info.ok()) throw new ContainerRuntimeException("'info' failed: " + info.errorMessage());
        CommandResult version = CommandRunner.run(List.of(executable.toString(), "--version"), Map.of(), null, PROBE_TIMEOUT);
        String versionText = version.stdout().strip();
        if (versionText.isEmpty()) versionText = executable.getFileName().toString();
        return new CliContainerRuntime(executable, CliFlavor.fromVersionOutput(versionText),
                versionText.lines().findFirst().orElse(versionText), DEFAULT_COMMAND_TIMEOUT, DEFAULT_PULL_TIMEOUT);
    }

    static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
