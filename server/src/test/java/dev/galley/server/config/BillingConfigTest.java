package dev.galley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.billing.BillingMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BillingConfigTest {
    @Test
    void theDefaultsRecordInUsdWithATenPercentFeeAndHourlyCuts() {
        BillingConfig c = ServerConfig.fromEnvironment(Map.of()).billing();
        assertThat(c.mode()).isEqualTo(BillingMode.RECORD);
        assertThat(c.currency()).isEqualTo("USD");
        assertThat(c.fee().rate()).isEqualByComparingTo("0.10");
        assertThat(c.meteringPeriod()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void eachCanBeSet() {
        BillingConfig c = BillingConfig.fromEnvironment(Map.of("GALLEY_BILLING", "enforce", "GALLEY_CURRENCY", "EUR",
                "GALLEY_PLATFORM_FEE", "0.025", "GALLEY_METERING_PERIOD", "PT30S"));
        assertThat(c).isEqualTo(new BillingConfig(BillingMode.ENFORCE, "EUR",
                new dev.galley.core.billing.PlatformFee(new BigDecimal("0.025")), Duration.ofSeconds(30)));
    }

    @Test
    void badValuesAreRefusedByName() {
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_BILLING", "strict")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_BILLING").hasMessageContaining("record or enforce");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_CURRENCY", "usd")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_CURRENCY");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_PLATFORM_FEE", "1.5")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_PLATFORM_FEE");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_PLATFORM_FEE", "10%")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_PLATFORM_FEE");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_METERING_PERIOD", "1h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_METERING_PERIOD").hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_METERING_PERIOD", "PT0.5S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> BillingConfig.fromEnvironment(Map.of("GALLEY_METERING_PERIOD", "P2D")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("P1D");
    }
}
