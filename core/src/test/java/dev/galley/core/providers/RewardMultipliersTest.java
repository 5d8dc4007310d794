package dev.galley.core.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.gpu.GpuModel;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RewardMultipliersTest {

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static GpuModel model(String name, String multiplier) {
        return new GpuModel(UUID.randomUUID(), name, "NVIDIA", 24, List.of(), multiplier == null ? null : d(multiplier));
    }

    @Test
    void the_estimate_of_the_baseline_card_is_exactly_one() {
        assertThat(RewardMultipliers.estimate(16_384, d("24"))).isEqualTo(d("1.00"));
        assertThat(RewardMultipliers.WEIGHTS_USED).isEqualByComparingTo("0.81");
    }

    @Test
    void a_node_without_a_gpu_keeps_only_the_network_and_cpu_weights() {
        assertThat(RewardMultipliers.CPU_ONLY).isEqualTo(d("0.23")); // 0.19 / 0.81 = 0.2346
        assertThat(RewardRates.DEFAULT.cpuOnlyMultiplier()).isEqualTo(RewardMultipliers.CPU_ONLY);
    }

    @Test
    void estimates_of_seeded_models_follow_the_documented_formula() {
        // (0.36 × cores/16384 + 0.26 × vram/24 + 0.19) / 0.81, half-even to 2 decimals
        assertThat(RewardMultipliers.estimate(16_896, d("80"))).isEqualTo(d("1.76")); // H100 SXM: 1.7629…
        assertThat(RewardMultipliers.estimate(6_912, d("40"))).isEqualTo(d("0.96")); // A100 40GB: 0.9570…
        assertThat(RewardMultipliers.estimate(2_560, d("16"))).isEqualTo(d("0.52")); // T4: 0.5186…
        assertThat(RewardMultipliers.estimate(3_584, d("12"))).isEqualTo(d("0.49")); // RTX 3060 (published: 0.50)
        assertThat(RewardMultipliers.estimate(10_496, d("24"))).isEqualTo(d("0.84")); // RTX 3090 (published: 0.85)
    }

    @Test
    void more_cores_or_more_memory_never_lower_the_estimate() {
        BigDecimal previous = BigDecimal.ZERO;
        for (int cores = 0; cores <= 32_768; cores += 512) {
            BigDecimal m = RewardMultipliers.estimate(cores, d("24"));
            assertThat(m).isGreaterThanOrEqualTo(previous);
            previous = m;
        }
        previous = BigDecimal.ZERO;
        for (int vram = 0; vram <= 200; vram += 4) {
            BigDecimal m = RewardMultipliers.estimate(8_192, BigDecimal.valueOf(vram));
            assertThat(m).isGreaterThanOrEqualTo(previous);
            previous = m;
        }
        assertThatThrownBy(() -> RewardMultipliers.estimate(-1, d("24"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RewardMultipliers.estimate(1, d("-1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_node_counts_its_best_rated_gpu() {
        assertThat(RewardMultipliers.best(List.of(model("RTX 3060", "0.50"), model("RTX 5090", "1.81"), model("RTX 4090", "1.00")),
                RewardMultipliers.CPU_ONLY)).isEqualTo(d("1.81"));
    }

    @Test
    void unrated_models_and_no_gpus_fall_back_so_a_made_up_name_earns_nothing_extra() {
        assertThat(RewardMultipliers.best(List.of(), RewardMultipliers.CPU_ONLY)).isEqualTo(d("0.23"));
        assertThat(RewardMultipliers.best(List.of(model("Imaginary 9000", null)), RewardMultipliers.CPU_ONLY)).isEqualTo(d("0.23"));
        assertThat(RewardMultipliers.best(List.of(model("Imaginary 9000", null), model("RTX 3060", "0.50")), RewardMultipliers.CPU_ONLY))
                .isEqualTo(d("0.50"));
    }

    @Test
    void a_gpu_model_refuses_a_negative_multiplier_and_the_old_constructor_has_none() {
        assertThatThrownBy(() -> model("x", "-0.01")).hasMessageContaining("reward multiplier must be >= 0");
        assertThat(new GpuModel(UUID.randomUUID(), "x", "NVIDIA", 8, List.of()).rewardMultiplier()).isNull();
    }
}
