package dev.galley.console;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignInLimiterTest {
    @Test
    void aBurstOfFailuresThenOneTryPerRefill() {
        var limiter = new SignInLimiter(3, 1_000);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.mayTry("a", 0)).isTrue();
            limiter.failed("a", 0);
        }
        assertThat(limiter.mayTry("a", 0)).isFalse();
        assertThat(limiter.mayTry("b", 0)).as("other addresses are not affected").isTrue();
        assertThat(limiter.mayTry("a", 999)).isFalse();
        assertThat(limiter.mayTry("a", 1_000)).isTrue();
        limiter.failed("a", 1_000);
        assertThat(limiter.mayTry("a", 1_500)).isFalse();
    }
}
