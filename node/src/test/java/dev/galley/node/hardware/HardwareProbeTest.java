package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareProbeTest {

    private static final String CPUINFO = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R)   Platinum 8480+
            cpu cores\t: 2

            processor\t: 1
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R)   Platinum 8480+

            processor\t: 2
            model name\t: Intel(R) Xeon(R)   Platinum 8480+
            """;

    private static final String MEMINFO = """
            MemTotal:       65856296 kB
            MemFree:         1234567 kB
            MemAvailable:   42049536 kB
            Buffers:          123456 kB
            """;

    @TempDir Path tmp;

    private Path fakeProc() throws IOException {
        Path proc = Files.createDirectories(tmp.resolve("proc"));
        Files.writeString(proc.resolve("cpuinfo"), CPUINFO);
        Files.writeString(proc.resolve("meminfo"), MEMINFO);
        return proc;
    }

    private Path fakeNvidiaSmi(String script) throws IOException {
        return FakeMachine.nvidiaSmi(tmp, script);
    }

    @Test
    void parsesCpuModelAndCount() {
        assertThat(HardwareProbe.cpuModel(CPUINFO)).isEqualTo("Intel(R) Xeon(R) Platinum 8480+");
        assertThat(HardwareProbe.cpuCount(CPUINFO)).isEqualTo(3);
        assertThat(HardwareProbe.cpuModel("processor : 0\nBogoMIPS : 50.00\n")).startsWith("unknown ").endsWith(" CPU");
    }

    @Test
    void parsesMeminfoInGb() {
        assertThat(HardwareProbe.parseMeminfo(MEMINFO)).isEqualTo(new Hardware.Ram(62.8, 40.1));
        assertThat(HardwareProbe.parseMeminfo("MemTotal: 2097152 kB\nMemFree: 1048576 kB\n")).isEqualTo(new Hardware.Ram(2.0, 1.0));
        assertThatThrownBy(() -> HardwareProbe.parseMeminfo("nothing here")).hasMessageContaining("MemTotal");
    }

    @Test
    void probesWithoutNvidiaSmiAsNoGpus() throws IOException {
        Hardware hw = new HardwareProbe(fakeProc(), Optional.empty()).probeNow(tmp);
        assertThat(hw.cpus()).containsExactly(new Hardware.Cpu("Intel(R) Xeon(R) Platinum 8480+", 3));
        assertThat(hw.gpus()).isEmpty();
        assertThat(hw.rams()).containsExactly(new Hardware.Ram(62.8, 40.1));
        assertThat(hw.hardDrives()).singleElement().satisfies(d -> {
            assertThat(d.maxCapacityGb()).isPositive();
            assertThat(d.availableCapacityGb()).isBetween(0.0, d.maxCapacityGb());
        });
    }

    @Test
    void probesGpusThroughNvidiaSmiWithTheExactQuery() throws IOException {
        Path args = tmp.resolve("args");
        Path smi = fakeNvidiaSmi("echo \"$@\" > '" + args + "'\n"
                + "printf '0, NVIDIA H100 80GB HBM3, 81559, GPU-aaa\\n1, NVIDIA H100 80GB HBM3, 81559, GPU-bbb\\n'");
        Hardware hw = new HardwareProbe(fakeProc(), Optional.of(smi)).probeNow(tmp);
        assertThat(hw.gpus()).extracting(Hardware.Gpu::uuid).containsExactly("GPU-aaa", "GPU-bbb");
        assertThat(Files.readString(args).strip())
                .isEqualTo("--query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits");
    }

    @Test
    void failingNvidiaSmiMeansNoGpusNotAnError() throws IOException {
        Path smi = fakeNvidiaSmi("echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"; exit 9");
        assertThat(new HardwareProbe(fakeProc(), Optional.of(smi)).probeNow(tmp).gpus()).isEmpty();
    }

    @Test
    void garbageFromASuccessfulNvidiaSmiIsAnError() throws IOException {
        Path smi = fakeNvidiaSmi("echo 'this is not csv'");
        assertThatThrownBy(() -> new HardwareProbe(fakeProc(), Optional.of(smi)).probeNow(tmp))
                .isInstanceOf(NvidiaSmiFormatException.class);
    }

    @Test
    void workDirThatDoesNotExistYetReportsItsParentsDisk() {
        Hardware.Disk disk = HardwareProbe.diskOf(tmp.resolve("not/yet/created"));
        assertThat(disk.maxCapacityGb()).isPositive();
    }

    @Test
    void probesThisRealMachine() {
        Hardware hw = HardwareProbe.probe(tmp);
        assertThat(hw.totalCores()).isGreaterThanOrEqualTo(1);
        assertThat(hw.cpus().getFirst().name()).isNotBlank();
        assertThat(hw.rams().getFirst().memoryGbMax()).isGreaterThan(0.1);
        assertThat(hw.rams().getFirst().memoryGbAvailable()).isLessThanOrEqualTo(hw.rams().getFirst().memoryGbMax());
        assertThat(hw.hardDrives()).hasSize(1);
    }

    @Test
    void serializesToTheNodeObjectsSnakeCaseFieldsWithoutTheSimulatedFlag() throws IOException {
        Hardware hw = new Hardware(List.of(new Hardware.Cpu("x", 2)),
                List.of(new Hardware.Gpu(0, "Tesla T4", 15.0, "GPU-1", true)),
                List.of(new Hardware.Ram(8, 4)), List.of(new Hardware.Disk("/dev/sda1", 100, 50)));
        JsonNode json = new ObjectMapper().valueToTree(hw);
        assertThat(json.get("cpus").get(0).get("num_cores").asInt()).isEqualTo(2);
        assertThat(json.get("gpus").get(0).get("vram_gb_max").asDouble()).isEqualTo(15.0);
        assertThat(json.get("gpus").get(0).has("simulated")).isFalse();
        assertThat(json.get("rams").get(0).get("memory_gb_available").asDouble()).isEqualTo(4.0);
        assertThat(json.get("hard_drives").get(0).get("max_capacity_gb").asDouble()).isEqualTo(100.0);
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("cpus", "gpus", "rams", "hard_drives");
    }
}
