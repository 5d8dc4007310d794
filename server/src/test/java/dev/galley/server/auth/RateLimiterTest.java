package dev.galley.server.auth;

import dev.galley.server.http.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RateLimiterTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void aKeyGetsTwiceItsRateAtOnceThenItsRate() {
        RateLimiter limiter = new RateLimiter(100);
        for (int i = 0; i < 200; i++) limiter.check("pk_a", 0);
        ApiException refused = catchThrowableOfType(ApiException.class, () -> limiter.check("pk_a", 0));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("Retry-After", "1");
        limiter.check("pk_b", 0); // another key has its own bucket
        for (int i = 0; i < 100; i++) limiter.check("pk_a", SECOND); // a second later: 100 more
        assertThatThrownBy(() -> limiter.check("pk_a", SECOND)).isInstanceOf(ApiException.class);
    }

    @Test
    void zeroMeansOff() {
        RateLimiter off = new RateLimiter(0);
        for (int i = 0; i < 100_000; i++) off.check("pk_a", 0);
    }
}
