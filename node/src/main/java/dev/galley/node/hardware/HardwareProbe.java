package dev.galley.node.hardware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the machine's real hardware (spec §6.2): CPU model and core count from {@code /proc/cpuinfo},
 * RAM from {@code /proc/meminfo}, the file system of the work directory, and GPUs from
 * {@code nvidia-smi} when that command is on the PATH.
 *
 * <p>A machine without {@code nvidia-smi} simply has no GPUs. One where it exists but fails (driver
 * not loaded, say) is logged and treated the same, so the node can still take CPU work. Output that
 * nvidia-smi did print but that does not parse is an error: advertising wrong GPUs is worse than not
 * starting.
 */
public final class HardwareProbe {
    private static final Logger log = LoggerFactory.getLogger(HardwareProbe.class);
    private static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(30);

    private final Path procDir;
    private final Optional<Path> nvidiaSmi;

    /** For tests: a fake /proc directory and a fake (or absent) nvidia-smi executable. */
    HardwareProbe(Path procDir, Optional<Path> nvidiaSmi) {
        this.procDir = procDir;
        this.nvidiaSmi = nvidiaSmi;
    }

    /** Probes this machine; {@code workDir} is where the agent keeps its data (its disk is reported). */
    public static Hardware probe(Path workDir) {
        return new HardwareProbe(Path.of("/proc"), findOnPath("nvidia-smi")).probeNow(workDir);
    }

    Hardware probeNow(Path workDir) {
        String cpuinfo = readOrEmpty(procDir.resolve("cpuinfo"));
        int cores = cpuCount(cpuinfo);
        if (cores == 0) cores = Runtime.getRuntime().availableProcessors();
        var cpu = new Hardware.Cpu(cpuModel(cpuinfo), cores);
        var ram = parseMeminfo(readOrEmpty(procDir.resolve("meminfo")));
        var disk = diskOf(workDir);
        List<Hardware.Gpu> gpus = nvidiaSmi.map(HardwareProbe::queryGpus).orElse(List.of());
        return new Hardware(List.of(cpu), gpus, List.of(ram), List.of(disk));
    }

    /** The first "model name" in cpuinfo (x86); ARM kernels print none, so fall back to the architecture. */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            if (key.equals("model name") || key.equals("Model")) {
                String value = line.substring(colon + 1).strip();
                if (!value.isEmpty()) return value.replaceAll("\\s+", " ");
            }
        }
        return "unknown " + System.getProperty("os.arch") + " CPU";
    }

    /**
     * Logical CPUs = "processor" entries. Counted from cpuinfo rather than availableProcessors() because
     * the containers run on the host, not inside whatever cgroup limit the agent itself may have.
     */
    static int cpuCount(String cpuinfo) {
        int count = 0;
        for (String line : cpuinfo.split("\\R")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("processor")) count++;
        }
        return count;
    }

    /** Total and available RAM in GB (see {@link MemInfo}). */
    static Hardware.Ram parseMeminfo(String meminfo) {
        MemInfo m = MemInfo.parse(meminfo);
        return new Hardware.Ram(Gigabytes.fromKib(m.totalKib()), Gigabytes.fromKib(m.availableKib()));
    }

    static Hardware.Disk diskOf(Path workDir) {
        FileStore store = fileStoreOf(workDir);
        try {
            return new Hardware.Disk(store.name(), Gigabytes.fromBytes(store.getTotalSpace()),
                    Gigabytes.fromBytes(store.getUsableSpace()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + workDir, e);
        }
    }

    /** The file system of {@code workDir}, or of its nearest existing parent (it may not have been created yet). */
    static FileStore fileStoreOf(Path workDir) {
        Path existing = workDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new IllegalStateException("no existing parent of " + workDir);
        try {
            return Files.getFileStore(existing);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the file system of " + workDir, e);
        }
    }

    private static List<Hardware.Gpu> queryGpus(Path executable) {
        NvidiaSmi.Answer answer;
        try {
            answer = new NvidiaSmi(executable).query(NvidiaSmiParser.QUERY_ARGS, NVIDIA_SMI_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running nvidia-smi", e);
        }
        if (!answer.ok()) {
            log.warn("{}; reporting no GPUs", answer.problem());
            return List.of();
        }
        return NvidiaSmiParser.parse(answer.output());
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
            return "";
        }
    }

    /** An executable of that name in one of the PATH directories, like a shell would find it. */
    static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
