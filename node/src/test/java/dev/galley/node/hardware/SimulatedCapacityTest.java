package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedCapacityTest {

    private static final Hardware PROBED = new Hardware(
            List.of(new Hardware.Cpu("AMD EPYC 7763 64-Core Processor", 16)),
            List.of(new Hardware.Gpu(0, "NVIDIA GeForce RTX 4090", 24.0, "GPU-real", false)),
            List.of(new Hardware.Ram(62.8, 40.1)),
            List.of(new Hardware.Disk("/dev/nvme0n1p2", 937.4, 512.3)));

    @Test
    void parsesGpuSpecFromTheRightSoNamesMayContainColons() {
        assertThat(SimulatedCapacity.SimulatedGpu.parse("NVIDIA H100 80GB HBM3:80:8"))
                .isEqualTo(new SimulatedCapacity.SimulatedGpu("NVIDIA H100 80GB HBM3", 80, 8));
        assertThat(SimulatedCapacity.SimulatedGpu.parse("Weird:Name:24.5:2"))
                .isEqualTo(new SimulatedCapacity.SimulatedGpu("Weird:Name", 24.5, 2));
    }

    @Test
    void rejectsMalformedGpuSpecs() {
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse("H100"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME:VRAM_GB:COUNT");
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse("H100:80"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME:VRAM_GB:COUNT");
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse("H100:lots:8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse("H100:80:0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count must be 1..64");
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse(":80:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME:VRAM_GB:COUNT");
        assertThatThrownBy(() -> SimulatedCapacity.SimulatedGpu.parse(" :80:1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
    }

    @Test
    void readsAllFlagFormsAndIgnoresOtherArguments() {
        SimulatedCapacity sim = SimulatedCapacity.fromArgs(List.of(
                "--server", "http://x", "--simulate-gpu", "NVIDIA H100 80GB HBM3:80:8",
                "--simulate-gpu=Tesla T4:16:1", "--extra-cpu", "8", "--extra-ram-gb=64", "--extra-storage-gb", "500"));
        assertThat(sim.gpus()).containsExactly(
                new SimulatedCapacity.SimulatedGpu("NVIDIA H100 80GB HBM3", 80, 8),
                new SimulatedCapacity.SimulatedGpu("Tesla T4", 16, 1));
        assertThat(sim.extraCpu()).isEqualTo(8);
        assertThat(sim.extraRamGb()).isEqualTo(64);
        assertThat(sim.extraStorageGb()).isEqualTo(500);
    }

    @Test
    void rejectsBadFlagValues() {
        assertThatThrownBy(() -> SimulatedCapacity.fromArgs(List.of("--extra-cpu", "many")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--extra-cpu expects a number");
        assertThatThrownBy(() -> SimulatedCapacity.fromArgs(List.of("--extra-ram-gb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> SimulatedCapacity.fromArgs(List.of("--extra-storage-gb", "-5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
    }

    @Test
    void addsCapacityToTheProbedHardwareAndMarksSimulatedGpus() {
        SimulatedCapacity sim = SimulatedCapacity.fromArgs(List.of("--simulate-gpu", "NVIDIA H100 80GB HBM3:80:2",
                "--extra-cpu", "8", "--extra-ram-gb", "64", "--extra-storage-gb", "500"));
        Hardware result = sim.applyTo(PROBED);

        assertThat(result.cpus()).containsExactly(new Hardware.Cpu("AMD EPYC 7763 64-Core Processor", 24));
        assertThat(result.rams()).containsExactly(new Hardware.Ram(126.8, 104.1));
        assertThat(result.hardDrives()).containsExactly(new Hardware.Disk("/dev/nvme0n1p2", 1437.4, 1012.3));
        assertThat(result.gpus()).containsExactly(
                new Hardware.Gpu(0, "NVIDIA GeForce RTX 4090", 24.0, "GPU-real", false),
                new Hardware.Gpu(1, "NVIDIA H100 80GB HBM3", 80, null, true),
                new Hardware.Gpu(2, "NVIDIA H100 80GB HBM3", 80, null, true));
        assertThat(result.realGpus()).extracting(Hardware.Gpu::uuid).containsExactly("GPU-real");
        // The input is untouched: applyTo is a pure function.
        assertThat(PROBED.cpus().getFirst().numCores()).isEqualTo(16);
        assertThat(PROBED.gpus()).hasSize(1);
    }

    @Test
    void noneChangesNothingAndEmptyHardwareGetsNewEntries() {
        assertThat(SimulatedCapacity.NONE.applyTo(PROBED)).isEqualTo(PROBED);
        Hardware empty = new Hardware(List.of(), List.of(), List.of(), List.of());
        Hardware result = new SimulatedCapacity(List.of(), 4, 8, 100).applyTo(empty);
        assertThat(result.totalCores()).isEqualTo(4);
        assertThat(result.rams()).containsExactly(new Hardware.Ram(8, 8));
        assertThat(result.hardDrives()).containsExactly(new Hardware.Disk("simulated", 100, 100));
    }
}
