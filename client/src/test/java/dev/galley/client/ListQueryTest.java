package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListQueryTest {
    @Test
    void defaultsSendNothing() {
        assertThat(ListQuery.defaults().toQueryString()).isEmpty();
    }

    @Test
    void filtersAreEncodedSoValuesCannotBreakTheQuery() {
        String q = ListQuery.first(50).page(2).sort("-created_at").filter("name", "a&b=c d+e#f").filter("status", "PENDING,RUNNING")
                .toQueryString();
        assertThat(q).isEqualTo("?page=2&limit=50&sort=-created_at&filter%5Bname%5D=a%26b%3Dc%20d%2Be%23f"
                + "&filter%5Bstatus%5D=PENDING%2CRUNNING");
    }

    @Test
    void aNullFilterRemovesItAndBadPagingIsRefused() {
        assertThat(ListQuery.defaults().filter("status", "X").filter("status", null).toQueryString()).isEmpty();
        assertThatThrownBy(() -> ListQuery.defaults().page(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ListQuery.defaults().limit(0)).isInstanceOf(IllegalArgumentException.class);
    }

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
    void retryAfterIsReadAsSecondsAndAnythingElseIsIgnored() {
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429, java.util.Map.of("Retry-After", java.util.List.of("7")), null)))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429,
                java.util.Map.of("retry-after", java.util.List.of("Wed, 21 Oct 2015 07:28:00 GMT")), null))).isNull();
        assertThat(RetryingTransport.retryAfter(new ApiResponse(429, java.util.Map.of(), null))).isNull();
    }
}
