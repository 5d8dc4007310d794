package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedPriceTest {
    static final Instant T = Instant.parse("2026-05-01T00:00:00Z");

    @Test
    void aRunIsPricedAtItsStartWithTheNamesOfItsGpus() {
        RateCard card = RateCardTest.seeded();
        var gpu = new FixedPrice.Gpu(RateCardTest.RTX_4090, "NVIDIA GeForce RTX 4090");
        FixedPrice p = FixedPrice.at(card, T, List.of(gpu, gpu), 4, new BigDecimal("16"), BigDecimal.ZERO);
        assertThat(p.pricePerHour()).isEqualByComparingTo("0.772"); // 0.70 + 0.04 + 0.032
        assertThat(p.gpuName()).isEqualTo("NVIDIA GeForce RTX 4090");
        assertThat(p.gpuCount()).isEqualTo(2);
    }

    @Test
    void mixedModelsAreNamedTogetherAndACpuRunHasNoGpuName() {
        RateCard card = RateCardTest.seeded();
        FixedPrice mixed = FixedPrice.at(card, T, List.of(new FixedPrice.Gpu(RateCardTest.H100, "NVIDIA H100 80GB HBM3"),
                new FixedPrice.Gpu(RateCardTest.RTX_4090, "NVIDIA GeForce RTX 4090")), 0, BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(mixed.gpuName()).isEqualTo("NVIDIA H100 80GB HBM3 + NVIDIA GeForce RTX 4090");
        assertThat(mixed.pricePerHour()).isEqualByComparingTo("2.85");
        FixedPrice cpu = FixedPrice.at(card, T, List.of(), 2, BigDecimal.ONE, BigDecimal.TEN);
        assertThat(cpu.gpuName()).isNull();
        assertThat(cpu.gpuCount()).isZero();
        assertThat(cpu.pricePerHour()).isEqualByComparingTo("0.023"); // 0.02 + 0.002 + 0.001
        FixedPrice unknown = FixedPrice.at(card, T, List.of(new FixedPrice.Gpu(null, null)), 0, BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(unknown.pricePerHour()).isEqualByComparingTo(DefaultRateCard.DEFAULT_GPU);
    }
}
