package dev.galley.core.billing;

import static dev.galley.core.billing.PriceResource.CPU_CORE;
import static dev.galley.core.billing.PriceResource.GPU;
import static dev.galley.core.billing.PriceResource.RAM_GB;
import static dev.galley.core.billing.PriceResource.STORAGE_GB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RateCardTest {
    static final UUID RTX_4090 = DefaultRateCard.seededModel(311);
    static final UUID H100 = DefaultRateCard.seededModel(105);
    static final UUID UNPRICED = UUID.fromString("00000000-0000-4000-8000-00000000abcd");
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static long sequence;

    static PriceVersion price(PriceResource r, UUID model, String amount, Instant from) {
        return new PriceVersion(UUID.randomUUID(), r, model, new BigDecimal(amount), "USD", from, ++sequence);
    }

    static RateCard seeded(PriceVersion... more) {
        List<PriceVersion> all = new ArrayList<>();
        for (DefaultRateCard.Seed s : DefaultRateCard.seeds()) {
            all.add(new PriceVersion(UUID.randomUUID(), s.resource(), s.gpuModel(), s.amountPerHour(), "USD",
                    DefaultRateCard.EFFECTIVE_FROM, ++sequence));
        }
        all.addAll(Arrays.asList(more));
        return RateCard.of(all);
    }

    @Test
    void theSeededCardHasTheSpecsExamplePrices() {
        RateCard card = seeded();
        assertThat(card.unitPriceAt(GPU, RTX_4090, T0)).isEqualByComparingTo("0.35");
        assertThat(card.unitPriceAt(GPU, H100, T0)).isEqualByComparingTo("2.50");
        assertThat(card.unitPriceAt(CPU_CORE, null, T0)).isEqualByComparingTo("0.01");
        assertThat(card.unitPriceAt(RAM_GB, null, T0)).isEqualByComparingTo("0.002");
        assertThat(DefaultRateCard.seeds()).hasSize(52 + 4);
        assertThat(DefaultRateCard.seeds().stream().map(DefaultRateCard.Seed::gpuModel).filter(m -> m != null).distinct()).hasSize(52);
    }

    @Test
    void aModelWithoutItsOwnPriceCostsTheDefaultGpuPrice() {
        RateCard card = seeded();
        assertThat(card.unitPriceAt(GPU, UNPRICED, T0)).isEqualByComparingTo(DefaultRateCard.DEFAULT_GPU);
        assertThat(card.unitPriceAt(GPU, null, T0)).isEqualByComparingTo(DefaultRateCard.DEFAULT_GPU);
        assertThat(card.versionAt(GPU, UNPRICED, T0)).isEmpty();
    }

    @Test
    void theVersionInForceIsTheLatestEffectiveOneAndTheLastAddedOnATie() {
        Instant change = T0.plusSeconds(3600);
        RateCard card = seeded(price(GPU, RTX_4090, "0.40", change), price(GPU, RTX_4090, "0.45", change),
                price(GPU, RTX_4090, "9.99", change.plusSeconds(86_400)));
        assertThat(card.unitPriceAt(GPU, RTX_4090, change.minusMillis(1))).isEqualByComparingTo("0.35");
        assertThat(card.unitPriceAt(GPU, RTX_4090, change)).as("effective from that instant, inclusive").isEqualByComparingTo("0.45");
        assertThat(card.unitPriceAt(GPU, RTX_4090, change.plusSeconds(86_399))).isEqualByComparingTo("0.45");
        assertThat(card.unitPriceAt(GPU, RTX_4090, change.plusSeconds(86_400))).isEqualByComparingTo("9.99");
        assertThat(card.unitPriceAt(GPU, H100, change.plusSeconds(86_400))).as("other models untouched").isEqualByComparingTo("2.50");
    }

    @Test
    void aResourceWithNoPriceInForceIsFree() {
        RateCard empty = RateCard.of(List.of(price(CPU_CORE, null, "0.02", T0)));
        assertThat(empty.unitPriceAt(CPU_CORE, null, T0.minusMillis(1))).isEqualByComparingTo("0");
        assertThat(empty.unitPriceAt(GPU, H100, T0)).isEqualByComparingTo("0");
        assertThat(empty.hourlyPrice(RunResources.of(1, H100, 2, BigDecimal.ONE, BigDecimal.ONE), T0)).isEqualByComparingTo("0.04");
    }

    @Test
    void theHourlyPriceFollowsTheSpecsFormula() {
        RateCard card = seeded();
        // 2 × 4090 + 8 cores + 32 GB RAM + 100 GB storage = 0.70 + 0.08 + 0.064 + 0.01
        var r = RunResources.of(2, RTX_4090, 8, new BigDecimal("32"), new BigDecimal("100"));
        assertThat(card.hourlyPrice(r, T0)).isEqualByComparingTo("0.854").hasScaleOf(6);
        // Mixed models (a job that asked for any GPU on a mixed node): each GPU at its own model's price.
        var mixed = new RunResources(List.of(RTX_4090, H100), 0, BigDecimal.ZERO, BigDecimal.ZERO);
        assertThat(card.hourlyPrice(mixed, T0)).isEqualByComparingTo("2.85");
        // Fractional RAM as a job spec gives it: 0.1 GB is exactly 0.1.
        var tiny = RunResources.of(0, null, 0, RunResources.quantity(0.1), BigDecimal.ZERO);
        assertThat(card.hourlyPrice(tiny, T0)).isEqualByComparingTo("0.0002");
    }

    @Test
    void theHourlyPriceIsRoundedOnceToSixDigits() {
        RateCard card = RateCard.of(List.of(price(RAM_GB, null, "0.000001", T0), price(STORAGE_GB, null, "0.000001", T0)));
        var r = RunResources.of(0, null, 0, new BigDecimal("0.5"), new BigDecimal("0.5"));
        // 0.0000005 + 0.0000005 = 0.000001 exactly; rounding each part half-even first would give 0 + 0.
        assertThat(card.hourlyPrice(r, T0)).isEqualByComparingTo("0.000001");
    }

    @Test
    void inForceListsOneVersionPerPricedThing() {
        RateCard card = seeded(price(CPU_CORE, null, "0.02", T0), price(CPU_CORE, null, "0.03", T0.plusSeconds(60)));
        var now = card.inForceAt(T0.plusSeconds(1));
        assertThat(now).hasSize(56);
        assertThat(now).filteredOn(v -> v.resource() == CPU_CORE).singleElement()
                .satisfies(v -> assertThat(v.amountPerHour()).isEqualByComparingTo("0.02"));
    }

    @Test
    void aPriceVersionRefusesWhatCannotBe() {
        assertThatThrownBy(() -> price(CPU_CORE, H100, "1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> price(GPU, H100, "-1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunResources.of(0, null, -1, BigDecimal.ZERO, BigDecimal.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunResources.quantity(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
