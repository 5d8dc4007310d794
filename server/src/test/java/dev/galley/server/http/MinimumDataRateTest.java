package dev.galley.server.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MinimumDataRateTest {
    static final long GRACE = MinimumDataRate.GRACE_MS;

    @Test
    void aSmallBodyIsNeverTooSlowWithinTheGracePeriod() {
        assertThat(MinimumDataRate.tooSlow(5, 1, 1024)).isFalse();
        assertThat(MinimumDataRate.tooSlow(0, GRACE, 1024)).isFalse();
    }

    @Test
    void pastTheGraceABodyMustHaveKeptThePace() {
        assertThat(MinimumDataRate.tooSlow(1023, GRACE + 1000, 1024)).isTrue();
        assertThat(MinimumDataRate.tooSlow(1024, GRACE + 1000, 1024)).isFalse();
        assertThat(MinimumDataRate.tooSlow(4, GRACE + 1000, 1024)).as("a byte every two seconds, six seconds in").isTrue();
    }

    @Test
    void zeroTurnsItOff() {
        assertThat(MinimumDataRate.tooSlow(0, 1_000_000, 0)).isFalse();
    }
}
