package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.galley.core.providers.HardwareSample;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadSamplerTest {
    private static final Instant NOW = Instant.parse("2026-03-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir Path tmp;

    private Path fakeProc(String stat) throws IOException {
        Path proc = Files.createDirectories(tmp.resolve("proc"));
        Files.writeString(proc.resolve("stat"), stat);
        Files.writeString(proc.resolve("meminfo"), FakeMachine.resource("/proc/meminfo-24gb.txt"));
        return proc;
    }

    private Path fakeNvidiaSmi(String script) throws IOException {
        return FakeMachine.nvidiaSmi(tmp, script);
    }

    @Test
    void aSampleReadsCpuSinceThePreviousOneRamDiskAndGpus() throws Exception {
        Path proc = fakeProc(FakeMachine.resource("/proc/stat-2cpu-a.txt"));
        Path args = tmp.resolve("args");
        Path smi = fakeNvidiaSmi("echo \"$@\" > '" + args + "'\n"
                + "printf '0, NVIDIA H100 80GB HBM3, 100, 19818, 81559, 59, 631.95\\n1, NVIDIA H100 80GB HBM3, [N/A], 11125, 81559, 53, 433.78\\n'");
        LoadSampler sampler = new LoadSampler(proc, tmp, Optional.of(smi), CLOCK);
        Files.writeString(proc.resolve("stat"), FakeMachine.resource("/proc/stat-2cpu-b.txt"));

        HardwareSample s = sampler.sample();
        assertThat(s.timestampMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(s.cpuPercent()).as("from the reading when the sampler was made").isEqualTo(99.0);
        assertThat(s.cpuCores()).isEqualTo(2);
        assertThat(s.ramUsedGb()).isEqualTo(1.01);
        assertThat(s.ramTotalGb()).isEqualTo(23.54);
        assertThat(s.diskTotalGb()).isPositive();
        assertThat(s.diskUsedGb()).isBetween(0.0, s.diskTotalGb());
        assertThat(s.gpus()).extracting(HardwareSample.Gpu::utilizationPercent).containsExactly(100.0, null);
        assertThat(Files.readString(args).strip()).isEqualTo(String.join(" ", NvidiaSmiLoadParser.QUERY_ARGS));

        assertThat(sampler.sample().cpuPercent()).as("no tick since the last sample").isNull();
    }

    @Test
    void aMachineWithoutNvidiaSmiHasNoGpusAndOneWhoseNvidiaSmiFailsHasUnknownGpus() throws Exception {
        Path proc = fakeProc(FakeMachine.resource("/proc/stat-2cpu-a.txt"));
        assertThat(new LoadSampler(proc, tmp, Optional.empty(), CLOCK).sample().gpus()).isEmpty();
        Path failing = fakeNvidiaSmi("echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9");
        assertThat(new LoadSampler(proc, tmp, Optional.of(failing), CLOCK).sample().gpus()).isNull();
        Path garbage = fakeNvidiaSmi("echo 'Field \"power.draw\" is not a valid field to query.'");
        HardwareSample s = new LoadSampler(proc, tmp, Optional.of(garbage), CLOCK).sample();
        assertThat(s.gpus()).as("output that does not parse: unknown, not a crash").isNull();
        assertThat(s.ramTotalGb()).as("the rest of the sample is still there").isEqualTo(23.54);
    }

    @Test
    void unreadableProcFilesLeaveThoseValuesNull() throws Exception {
        Path emptyProc = Files.createDirectories(tmp.resolve("empty-proc"));
        HardwareSample s = new LoadSampler(emptyProc, tmp, Optional.empty(), CLOCK).sample();
        assertThat(s.cpuPercent()).isNull();
        assertThat(s.cpuCores()).isNull();
        assertThat(s.ramUsedGb()).isNull();
        assertThat(s.diskTotalGb()).isNotNull();
    }

    @Test
    void theSampleFitsEasilyInTheHeartbeatsMetadata() throws Exception {
        StringBuilder eight = new StringBuilder();
        for (int i = 0; i < 8; i++) eight.append(i).append(", NVIDIA H100 80GB HBM3, 100, 19818, 81559, 59, 631.95\\n");
        Path smi = fakeNvidiaSmi("printf '" + eight + "'");
        HardwareSample s = new LoadSampler(fakeProc(FakeMachine.resource("/proc/stat-2cpu-a.txt")), tmp, Optional.of(smi), CLOCK).sample();
        assertThat(s.gpus()).hasSize(8);
        // The server accepts metadata up to 16 KiB; an eight-GPU sample is about a tenth of that.
        assertThat(s.toJson().toString().length()).isLessThan(2_048);
    }

    @Test
    void samplesOfThisRealMachineMatchIt() throws Exception {
        LoadSampler sampler = LoadSampler.forThisMachine(tmp, Clock.systemUTC());
        int hostCores = countCpuLines(Files.readString(Path.of("/proc/stat")));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < hostCores; i++) {
            burners.add(Thread.ofPlatform().start(() -> {
                long x = 0;
                while (!stop.get()) x += System.nanoTime() % 7;
                if (x == 42) System.out.print("");
            }));
        }
        HardwareSample s;
        try {
            long until = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < until) Thread.onSpinWait();
            s = sampler.sample();
        } finally {
            stop.set(true);
            for (Thread t : burners) t.join();
        }
        MemInfo mem = MemInfo.parse(Files.readString(Path.of("/proc/meminfo")));
        FileStore store = Files.getFileStore(tmp);

        assertThat(s.cpuCores()).isEqualTo(hostCores).isEqualTo(HardwareProbe.cpuCount(Files.readString(Path.of("/proc/cpuinfo"))));
        // Busy threads on every core for half a second: the whole machine was mostly busy. A container quota can
        // keep this JVM to fewer cores, so expect at least 40 % of the share it may use.
        double share = Math.min(1.0, (double) Runtime.getRuntime().availableProcessors() / hostCores);
        assertThat(s.cpuPercent()).isNotNull().isBetween(40.0 * share, 100.0);
        assertThat(s.ramTotalGb()).isEqualTo(Gigabytes.hundredthsFromKib(mem.totalKib()));
        double tolerance = Math.max(0.5, 0.05 * s.ramTotalGb());
        assertThat(s.ramUsedGb()).isCloseTo(mem.usedKib() / (1024.0 * 1024), within(tolerance)).isLessThanOrEqualTo(s.ramTotalGb());
        assertThat(s.diskTotalGb()).isCloseTo(store.getTotalSpace() / (1024.0 * 1024 * 1024), within(0.01));
        assertThat(s.diskUsedGb()).isCloseTo((store.getTotalSpace() - store.getUnallocatedSpace()) / (1024.0 * 1024 * 1024), within(1.0));
        if (HardwareProbe.findOnPath("nvidia-smi").isEmpty()) assertThat(s.gpus()).isEmpty();
    }

    private static int countCpuLines(String stat) {
        return (int) stat.lines().filter(l -> l.matches("cpu\\d+ .*")).count();
    }
}
