package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlatformFeeTest {
    @Test
    void theConsumerPaysTheAmountAndTheProviderEarnsItLessTheFee() {
        var split = PlatformFee.DEFAULT.split(new BigDecimal("0.854000"));
        assertThat(split.charge()).isEqualByComparingTo("-0.854").hasScaleOf(6);
        assertThat(split.earning()).isEqualByComparingTo("0.7686").hasScaleOf(6);
        assertThat(split.platformShare()).isEqualByComparingTo("0.0854");
    }

    @Test
    void theEarningIsRoundedHalfEvenAndThePlatformShareAbsorbsIt() {
        // 0.000005 × 0.9 = 0.0000045 → 0.000004 (half-even); the platform keeps 0.000001.
        var split = PlatformFee.DEFAULT.split(new BigDecimal("0.000005"));
        assertThat(split.earning()).isEqualByComparingTo("0.000004");
        assertThat(split.platformShare()).isEqualByComparingTo("0.000001");
        assertThat(PlatformFee.DEFAULT.split(new BigDecimal("0.000001")).earning()).isEqualByComparingTo("0.000001");
    }

    @Test
    void chargeAndEarningAreExactAndNeverPayOutMoreThanWasCharged() {
        Random random = new Random(7);
        for (String rate : List.of("0", "0.1", "0.123457", "0.5", "1")) {
            PlatformFee fee = PlatformFee.parse(rate);
            for (int i = 0; i < 10_000; i++) {
                BigDecimal amount = new BigDecimal(random.nextLong(0, 10_000_000_000L)).movePointLeft(6);
                var split = fee.split(amount);
                assertThat(split.charge().negate()).isEqualByComparingTo(amount);
                assertThat(split.earning().scale()).isEqualTo(6);
                assertThat(split.earning()).isEqualByComparingTo(Money.round(amount.multiply(BigDecimal.ONE.subtract(fee.rate()))));
                assertThat(split.platformShare().signum()).isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(PlatformFee.parse("1").split(new BigDecimal("3")).earning()).isEqualByComparingTo("0");
        assertThat(PlatformFee.parse("0").split(new BigDecimal("3")).earning()).isEqualByComparingTo("3");
    }

    @Test
    void aFeeIsADecimalFromZeroToOne() {
        for (String bad : List.of("-0.1", "1.000001", "0.1234567", "abc", "1e-1", "")) {
            assertThatThrownBy(() -> PlatformFee.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> PlatformFee.DEFAULT.split(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
