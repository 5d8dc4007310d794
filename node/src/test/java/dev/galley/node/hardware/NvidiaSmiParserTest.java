package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiParserTest {

    private static String fixture(String name) throws IOException {
        return FakeMachine.resource("/nvidia-smi/" + name);
    }

    @Test
    void eightH100s() throws IOException {
        List<Hardware.Gpu> gpus = NvidiaSmiParser.parse(fixture("h100-80gb-hbm3-x8.csv"));
        assertThat(gpus).hasSize(8);
        assertThat(gpus).extracting(Hardware.Gpu::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(gpus).allSatisfy(g -> {
            assertThat(g.name()).isEqualTo("NVIDIA H100 80GB HBM3");
            assertThat(g.vramGbMax()).isEqualTo(79.6); // 81559 MiB / 1024
            assertThat(g.uuid()).startsWith("GPU-").hasSize(40);
            assertThat(g.simulated()).isFalse();
        });
        assertThat(gpus.get(7).uuid()).isEqualTo("GPU-7b8d0a2f-5c4e-9d1f-3a8b-6e0c2f4d7b98");
    }

    @Test
    void oneRtx4090() throws IOException {
        assertThat(NvidiaSmiParser.parse(fixture("rtx-4090-x1.csv"))).containsExactly(
                new Hardware.Gpu(0, "NVIDIA GeForce RTX 4090", 24.0, "GPU-5a1b7c2d-94e3-f6a8-0b4c-7d1e2f3a9b5c", false));
    }

    @Test
    void fourA100s() throws IOException {
        List<Hardware.Gpu> gpus = NvidiaSmiParser.parse(fixture("a100-sxm4-40gb-x4.csv"));
        assertThat(gpus).extracting(Hardware.Gpu::name).containsOnly("NVIDIA A100-SXM4-40GB").hasSize(4);
        assertThat(gpus).extracting(Hardware.Gpu::vramGbMax).containsOnly(40.0);
    }

    @Test
    void teslaT4() throws IOException {
        assertThat(NvidiaSmiParser.parse(fixture("tesla-t4-x1.csv")))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.name()).isEqualTo("Tesla T4");
                    assertThat(g.vramGbMax()).isEqualTo(15.0);
                });
    }

    @Test
    void mixedBoxKeepsEachModelAndIndex() throws IOException {
        List<Hardware.Gpu> gpus = NvidiaSmiParser.parse(fixture("mixed-l40s-a10-rtx6000.csv"));
        assertThat(gpus).extracting(Hardware.Gpu::name)
                .containsExactly("NVIDIA L40S", "NVIDIA A10", "NVIDIA RTX 6000 Ada Generation");
        assertThat(gpus).extracting(Hardware.Gpu::vramGbMax).containsExactly(45.0, 22.5, 48.0);
        assertThat(gpus).extracting(Hardware.Gpu::index).containsExactly(0, 1, 2);
    }

    @Test
    void notAvailableFieldsStillCountTheGpu() throws IOException {
        List<Hardware.Gpu> gpus = NvidiaSmiParser.parse(fixture("rtx-3090-na.csv"));
        assertThat(gpus).hasSize(2);
        assertThat(gpus.get(0)).isEqualTo(new Hardware.Gpu(0, "NVIDIA GeForce RTX 3090", 0.0, null, false));
        assertThat(gpus.get(1).vramGbMax()).isEqualTo(24.0);
        assertThat(gpus.get(1).uuid()).isEqualTo("GPU-0a4a2b4c-9d1f-3a5b-7c8e-0f2b4d6a8c91");
    }

    @Test
    void toleratesExtraSpacesCrlfAndBlankLines() {
        String csv = "\r\n  3 ,   Tesla T4  ,15360 ,  GPU-abc \r\n\r\n   \n";
        assertThat(NvidiaSmiParser.parse(csv)).containsExactly(new Hardware.Gpu(3, "Tesla T4", 15.0, "GPU-abc", false));
    }

    @Test
    void emptyOutputMeansNoGpus() {
        assertThat(NvidiaSmiParser.parse("")).isEmpty();
        assertThat(NvidiaSmiParser.parse("\n\n")).isEmpty();
    }

    @Test
    void driverErrorTextIsRejectedClearly() throws IOException {
        assertThatThrownBy(() -> NvidiaSmiParser.parse(fixture("garbage-driver-failed.txt")))
                .isInstanceOf(NvidiaSmiFormatException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("expected 4")
                .hasMessageContaining("NVIDIA-SMI has failed");
    }

    @Test
    void unitsInMemoryColumnAreRejectedWithAHint() throws IOException {
        assertThatThrownBy(() -> NvidiaSmiParser.parse(fixture("garbage-with-units.csv")))
                .isInstanceOf(NvidiaSmiFormatException.class)
                .hasMessageContaining("memory.total '24564 MiB'")
                .hasMessageContaining("nounits");
    }

    @Test
    void nonNumericIndexAndBlankNameAreRejected() {
        assertThatThrownBy(() -> NvidiaSmiParser.parse("zero, Tesla T4, 15360, GPU-x\n"))
                .isInstanceOf(NvidiaSmiFormatException.class)
                .hasMessageContaining("index 'zero'");
        assertThatThrownBy(() -> NvidiaSmiParser.parse("0, Tesla T4, 15360, GPU-x\n1, , 15360, GPU-y\n"))
                .isInstanceOf(NvidiaSmiFormatException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("no GPU name");
    }
}
