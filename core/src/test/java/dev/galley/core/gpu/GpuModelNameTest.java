package dev.galley.core.gpu;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GpuModelNameTest {
    @Test
    void namesRealToolsPrintAreAccepted() {
        for (String name : List.of("NVIDIA H100 80GB HBM3", "Tesla V100-SXM2-16GB", "NVIDIA GeForce RTX 4090",
                "Intel(R) Data Center GPU Max 1550", "AMD Instinct MI300X", "NVIDIA RTX 6000 Ada Generation")) {
            assertThat(GpuModelName.problem(name)).as(name).isEmpty();
        }
    }

    @Test
    void emptyLongAndOddNamesAreRefused() {
        assertThat(GpuModelName.problem(null)).hasValueSatisfying(p -> assertThat(p).contains("required"));
        assertThat(GpuModelName.problem("  ")).hasValueSatisfying(p -> assertThat(p).contains("required"));
        assertThat(GpuModelName.problem("x".repeat(101))).hasValueSatisfying(p -> assertThat(p).contains("100"));
        for (String odd : List.of("GPU\n2", "<script>", "GPU\u0000", "Грфк", "a;b", "💥")) {
            assertThat(GpuModelName.problem(odd)).as(odd).hasValueSatisfying(p -> assertThat(p).contains("ASCII"));
        }
    }
}
