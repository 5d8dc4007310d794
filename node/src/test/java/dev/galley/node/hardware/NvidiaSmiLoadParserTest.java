package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.providers.HardwareSample.Gpu;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures: node/src/test/resources/nvidia-smi-load (README.md there says which are recorded and which composed). */
class NvidiaSmiLoadParserTest {

    private static List<Gpu> parse(String fixture) throws IOException {
        return NvidiaSmiLoadParser.parse(FakeMachine.resource("/nvidia-smi-load/" + fixture));
    }

    @Test
    void theQueryIsTheOneTheParserReads() {
        assertThat(NvidiaSmiLoadParser.QUERY_ARGS).containsExactly(
                "--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw",
                "--format=csv,noheader,nounits");
    }

    @Test
    void aDatacentreGpuUnderLoadWithPower() throws IOException {
        assertThat(parse("h100-80gb-hbm3-driver-590-load.csv"))
                .containsExactly(new Gpu(0, "NVIDIA H100 80GB HBM3", 100.0, 19.35, 79.65, 59.0, 631.95));
        assertThat(parse("l40s-driver-595-load.csv"))
                .containsExactly(new Gpu(0, "NVIDIA L40S", 9.0, 1.21, 44.99, 54.0, 110.23));
    }

    @Test
    void migModeHasNoWholeGpuUtilizationButEverythingElse() throws IOException {
        assertThat(parse("h100-mig-driver-590-load.csv"))
                .containsExactly(new Gpu(0, "NVIDIA H100 80GB HBM3", null, 10.86, 79.65, 53.0, 433.78));
        assertThat(parse("h200-mig-driver-590-idle.csv"))
                .containsExactly(new Gpu(0, "NVIDIA H200", null, 0.05, 140.4, 28.0, 78.28));
        assertThat(parse("a100-mig-not-supported.csv")).extracting(Gpu::utilizationPercent).containsExactly(null, 3.0);
    }

    @Test
    void consumerCards() throws IOException {
        assertThat(parse("rtx-4080-super-driver-595-load.csv"))
                .containsExactly(new Gpu(0, "NVIDIA GeForce RTX 4080 SUPER", 7.0, 1.44, 15.99, 46.0, 84.24));
        assertThat(parse("rtx-2080-super-windows-driver-591-idle.csv"))
                .containsExactly(new Gpu(0, "NVIDIA GeForce RTX 2080 SUPER", 0.0, 0.69, 8.0, 40.0, 38.92));
        List<Gpu> noPower = parse("rtx-3090-x2-power-not-available.csv");
        assertThat(noPower).extracting(Gpu::powerW).containsExactly(null, null);
        assertThat(noPower).extracting(Gpu::utilizationPercent).containsExactly(98.0, 0.0);
        assertThat(noPower.getFirst().vramUsedGb()).isEqualTo(23.31);
    }

    @Test
    void eightGpusKeepTheirIndexesAndTheirOwnMissingValues() throws IOException {
        List<Gpu> gpus = parse("a100-sxm4-80gb-x8-mixed-load.csv");
        assertThat(gpus).extracting(Gpu::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(gpus).extracting(Gpu::vramTotalGb).containsOnly(80.0);
        assertThat(gpus).extracting(Gpu::utilizationPercent).containsExactly(100.0, 98.0, 0.0, 0.0, null, null, 57.0, 12.0);
        assertThat(gpus.get(4)).isEqualTo(new Gpu(4, "NVIDIA A100-SXM4-80GB", null, 22.91, 80.0, 44.0, 187.66));
    }

    @Test
    void olderDriversSayNaWithoutBrackets() throws IOException {
        List<Gpu> gpus = parse("old-driver-bare-na.csv");
        assertThat(gpus.get(0)).isEqualTo(new Gpu(0, "Tesla K80", 45.0, 2.94, 11.17, null, null));
        assertThat(gpus.get(1).temperatureC()).isEqualTo(36.0);
    }

    @Test
    void oddSpacingAndBlankLinesAreTolerated() throws IOException {
        assertThat(parse("rtx-4090-x2-odd-spacing.csv")).containsExactly(
                new Gpu(0, "NVIDIA GeForce RTX 4090", 87.0, 20.13, 23.99, 64.0, 312.45),
                new Gpu(1, "NVIDIA GeForce RTX 4090", 0.0, 0.0, 23.99, 30.0, 17.3));
        assertThat(NvidiaSmiLoadParser.parse("")).isEmpty();
    }

    @Test
    void otherBracketedReasonsAreMissingValuesToo() {
        assertThat(NvidiaSmiLoadParser.parse("0, Tesla T4, [Unknown Error], [Insufficient Permissions], 15360, [GPU is lost], [N/A]\n"))
                .containsExactly(new Gpu(0, "Tesla T4", null, null, 15.0, null, null));
        assertThat(NvidiaSmiLoadParser.parse("[N/A], Tesla T4, 1, 2, 15360, 40, 30\n[N/A], Tesla T4, 1, 2, 15360, 40, 30\n"))
                .as("a missing index is the line's position").extracting(Gpu::index).containsExactly(0, 1);
    }

    @Test
    void outputThatIsNotTheQueryIsRefusedWithTheReason() {
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("0, NVIDIA GeForce RTX 4090, 87 %, 20612 MiB, 24564 MiB, 64, 312.45 W\n"))
                .isInstanceOf(NvidiaSmiFormatException.class).hasMessageContaining("utilization.gpu '87 %'").hasMessageContaining("nounits");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("0, Tesla T4, 15360, GPU-x\n"))
                .hasMessageContaining("has 4 columns, expected 7");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("Field \"power.draw\" is not a valid field to query.\n"))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("0, [N/A], 1, 2, 3, 4, 5\n")).hasMessageContaining("no GPU name");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("0, T4, -1, 2, 3, 4, 5\n")).hasMessageContaining("utilization.gpu '-1'");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("0, T4, NaN, 2, 3, 4, 5\n")).hasMessageContaining("'NaN'");
        assertThatThrownBy(() -> NvidiaSmiLoadParser.parse("1.5, T4, 1, 2, 3, 4, 5\n")).hasMessageContaining("index '1.5'");
    }
}
