package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.client.StubApiServer.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which answers are retried for which requests, against a stub that fails a scripted number of times first. */
class RetryingTransportTest {
    private static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(5));
    private StubApiServer server;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private RetryingTransport transport;

    @BeforeEach
    void start() throws IOException {
        server = new StubApiServer();
        transport = new RetryingTransport(GalleyClient.builder(server.url(), StubApiServer.KEY).build(), QUICK, waits::add);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The first {@code times} requests answer {@code status}, the rest 200. */
    private void failFirst(int times, int status) {
        AtomicInteger left = new AtomicInteger(times);
        server.answer(r -> left.getAndDecrement() > 0
                ? Reply.json(status, "{\"error\":{\"type\":\"internal\",\"message\":\"scripted " + status + "\"}}")
                : Reply.json(200, "{\"ok\":true}"));
    }

    @Test
    void aPlainPostIsNotRepeatedAfterA503ButOneTheCallerVouchesForIsWithGrowingBackoff() {
        failFirst(1, 503);
        assertThat(transport.send("POST", "/v1/things", "{}".getBytes(), Map.of()).response().status()).isEqualTo(503);
        assertThat(waits).isEmpty();
        failFirst(3, 503);
        RetryingTransport.Outcome outcome = transport.sendRepeatable("POST", "/v1/nodes/n/heartbeat", "{}".getBytes(), Map.of());
        assertThat(outcome.response().status()).isEqualTo(200);
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(server.seen()).hasSize(5).allSatisfy(seen -> assertThat(seen.method()).isEqualTo("POST"));
        assertThat(waits).hasSize(3);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
        failFirst(100, 502);
        assertThat(transport.sendRepeatable("POST", "/v1/x", null, Map.of()).response().status()).as("still at most 4 attempts").isEqualTo(502);
        assertThat(server.seen()).hasSize(5 + QUICK.maxAttempts());
    }

    @Test
    void aRequestTimeoutIsRetriedForWhatIsSafeToRepeat() {
        failFirst(1, 408);
        assertThat(transport.send("GET", "/v1/jobs", null, Map.of()).response().status()).isEqualTo(200);
        assertThat(server.seen()).hasSize(2);
    }

    @Test
    void anInterruptedCallerStopsInsteadOfWaitingToRetry() {
        failFirst(100, 503);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> transport.sendRepeatable("POST", "/v1/x", null, Map.of()))
                    .isInstanceOf(GalleyConnectionException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(server.seen()).hasSizeLessThanOrEqualTo(1);
        assertThat(waits).isEmpty();
    }
}
