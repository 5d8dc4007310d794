package dev.galley.node.hardware;

import dev.galley.core.providers.HardwareSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the load samples the agent sends with its heartbeats (spec §10, {@link HardwareSample}): whole-machine CPU
 * use from {@code /proc/stat} since the previous sample, RAM used and total from {@code /proc/meminfo}, used and
 * total space of the work directory's file system, and per-GPU utilization, VRAM, temperature and power from
 * {@code nvidia-smi}. It reports the real machine only: capacity simulated with {@code --simulate-gpu} or
 * {@code --extra-*} is not in the samples.
 *
 * <p>One sample costs a few small file reads and, on GPU machines, one nvidia-smi run (bounded by
 * {@link #NVIDIA_SMI_TIMEOUT}); the agent takes one per telemetry interval on a thread of its own, so a slow driver
 * never delays a heartbeat. A sampler is not meant for concurrent use; {@link #sample} is synchronized anyway.
 */
public final class LoadSampler {
    private static final Logger log = LoggerFactory.getLogger(LoadSampler.class);
    public static final Duration NVIDIA_SMI_TIMEOUT = Duration.ofSeconds(10);

    private final Path procDir;
    private final Path workDir;
    private final Optional<NvidiaSmi> nvidiaSmi;
    private final Clock clock;
    private CpuTimes previousCpu;
    private String lastGpuProblem;

    /** For tests: a fake {@code /proc}, a work directory and a fake (or absent) nvidia-smi. */
    LoadSampler(Path procDir, Path workDir, Optional<Path> nvidiaSmi, Clock clock) {
        this.procDir = procDir;
        this.workDir = workDir;
        this.nvidiaSmi = nvidiaSmi.map(NvidiaSmi::new);
        this.clock = clock;
        // The first sample's CPU use is measured from here (the agent's start), not from boot.
        this.previousCpu = readCpu().orElse(null);
    }

    /** Samples this machine; {@code workDir} is the agent's work directory (its file system is reported). */
    public static LoadSampler forThisMachine(Path workDir, Clock clock) {
        return new LoadSampler(Path.of("/proc"), workDir, HardwareProbe.findOnPath("nvidia-smi"), clock);
    }

    /** A new sample now. Values that cannot be read this time are null; it never throws for a bad reading. */
    public synchronized HardwareSample sample() throws InterruptedException {
        long now = clock.millis();
        Optional<CpuTimes> cpu = readCpu();
        Double cpuPercent = null;
        if (cpu.isPresent() && previousCpu != null) cpuPercent = cpu.get().percentSince(previousCpu);
        cpu.ifPresent(c -> previousCpu = c);
        Integer cores = cpu.map(CpuTimes::cores).filter(n -> n > 0).orElse(null);

        Double ramUsed = null;
        Double ramTotal = null;
        try {
            MemInfo mem = MemInfo.parse(Files.readString(procDir.resolve("meminfo"), StandardCharsets.UTF_8));
            ramUsed = Gigabytes.hundredthsFromKib(mem.usedKib());
            ramTotal = Gigabytes.hundredthsFromKib(mem.totalKib());
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}/meminfo: {}", procDir, e.getMessage());
        }

        Double diskUsed = null;
        Double diskTotal = null;
        try {
            FileStore store = HardwareProbe.fileStoreOf(workDir);
            long total = store.getTotalSpace();
            diskUsed = Gigabytes.hundredthsFromBytes(total - store.getUnallocatedSpace());
            diskTotal = Gigabytes.hundredthsFromBytes(total);
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            log.debug("cannot read the file system of {}: {}", workDir, e.getMessage());
        }
        return new HardwareSample(now, cpuPercent, cores, ramUsed, ramTotal, diskUsed, diskTotal, gpus());
    }

    private Optional<CpuTimes> readCpu() {
        try {
            return Optional.of(CpuTimes.parse(Files.readString(procDir.resolve("stat"), StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}/stat: {}", procDir, e.getMessage());
            return Optional.empty();
        }
    }

    /** [] without nvidia-smi; null when it is there but gave no usable answer this time (said once, until it recovers). */
    private List<HardwareSample.Gpu> gpus() throws InterruptedException {
        if (nvidiaSmi.isEmpty()) return List.of();
        NvidiaSmi.Answer answer = nvidiaSmi.get().query(NvidiaSmiLoadParser.QUERY_ARGS, NVIDIA_SMI_TIMEOUT);
        String problem = answer.problem();
        List<HardwareSample.Gpu> gpus = null;
        if (answer.ok()) {
            try {
                gpus = NvidiaSmiLoadParser.parse(answer.output());
            } catch (NvidiaSmiFormatException e) {
                problem = e.getMessage();
            }
        }
        if (problem != null && !problem.equals(lastGpuProblem)) log.warn("GPU load not sampled: {}", problem);
        if (problem == null && lastGpuProblem != null) log.info("GPU load is sampled again");
        lastGpuProblem = problem;
        return gpus;
    }
}
