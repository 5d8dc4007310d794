package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void backoffDoublesUpToItsCeiling() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofMillis(350), Duration.ofSeconds(1));
        assertThat(policy.backoffCeiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoffCeiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoffCeiling(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(policy.backoffCeiling(5)).isEqualTo(Duration.ofMillis(350));
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachBackoffIsAtLeastHalfItsCeilingAndAtMostTheCeiling() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.backoff(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
            assertThat(policy.backoff(1_000)).as("far past the ceiling, still bounded").isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
        assertThat(RetryPolicy.NONE.backoff(1)).isBetween(Duration.ZERO, Duration.ofMillis(1));
    }

    @Test
    void retryAfterIsReadAsSecondsAndAnythingElseIsIgnored() {
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429, Map.of("Retry-After", List.of("7")), null)))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429,
                Map.of("retry-after", List.of("Wed, 21 Oct 2015 07:28:00 GMT")), null))).isNull();
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429, Map.of(), null))).isNull();
    }
}
