package dev.galley.server.config;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantLimitsTest {
    @Test
    void theDefaultsAreOn() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());
        assertThat(config.rateLimitRps()).as("per-key rate limiting is on by default (spec §8)").isEqualTo(100);
        assertThat(config.limits().logRetentionBytes()).isEqualTo(64L << 20);
        assertThat(config.limits().minRequestDataRate()).isEqualTo(1024);
        assertThat(config.limits().maxNewGpuModelsPerNode()).isEqualTo(4);
    }

    @Test
    void eachCanBeSetAndZeroTurnsTheRateLimitOff() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("GALLEY_RATE_LIMIT_RPS", "0",
                "GALLEY_LOG_RETENTION_BYTES", "3000000000", "GALLEY_MIN_REQUEST_DATA_RATE", "0",
                "GALLEY_MAX_NEW_GPU_MODELS_PER_NODE", "0"));
        assertThat(config.rateLimitRps()).isZero();
        assertThat(config.limits()).isEqualTo(new TenantLimits(3_000_000_000L, 0, 0));
    }

    @Test
    void aLogCapUnderOneMebibyteIsRefusedByName() {
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("GALLEY_LOG_RETENTION_BYTES", "1000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_LOG_RETENTION_BYTES").hasMessageContaining("1048576");
        assertThatThrownBy(() -> ServerConfig.fromEnvironment(Map.of("GALLEY_MAX_NEW_GPU_MODELS_PER_NODE", "many")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GALLEY_MAX_NEW_GPU_MODELS_PER_NODE");
    }
}
