package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.config.ServerConfig;
import dev.galley.server.contract.OpenApiContract;
import dev.galley.server.RouteRegistrar;
import dev.galley.server.it.TestServer.Tenant;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §8, "nothing unbounded from one tenant", at the door: slow uploads cannot hold the server's capacity, and
 * every key has a rate limit by default. A server of its own with the default settings (256 admission slots,
 * 1 KiB/s minimum body rate, 100 requests/s per key).
 */
class AdmissionIT {
    static GalleyServer server;
    static Tenant attacker;
    static Tenant victim;

    @BeforeAll
    static void start() {
        TestServer.server();
        server = TestServer.start(TestDatabase.jdbcUrl(), 30_000);
        attacker = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        victim = TestServer.newTenant(server, List.of("preset:compute_consumer"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Headers of a POST /v1/jobs signed by the attacker's real key, with a signature that cannot match. */
    static Map<String, String> forged() {
        Map<String, String> h = new HashMap<>(dev.galley.client.RequestSigning.headers(
                dev.galley.client.ApiKeyPair.parse(attacker.keyPair()), "POST", "/v1/jobs", new byte[0],
                System.currentTimeMillis(), dev.galley.client.RequestSigning.randomNonce()));
        h.put("X-Signature", "0".repeat(64));
        return h;
    }

    @Test
    void slowUploadsWithBadSignaturesCannotStarveAnotherKeyAndAreCutOff() throws Exception {
        int slow = ServerConfig.fromEnvironment(Map.of()).maxInFlight() + 4; // more than every admission slot
        List<RawHttp> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < slow; i++) uploads.add(new RawHttp(server.port()).sendHead("POST", "/v1/jobs", forged(), 100_000));
            // Each sends its body a byte at a time, every 2 s: far under the minimum data rate. While they do, the
            // victim's signed requests keep getting through (before, each upload held an admission slot while
            // its body trickled in, and the 257th request of anyone was a 429). The loop ends when every slow
            // upload has been cut off.
            long rounds = 0;
            while (uploads.stream().anyMatch(RawHttp::pending)) {
                for (RawHttp u : uploads) {
                    if (u.pending() && u.send(new byte[]{'{'})) u.poll(1);
                }
                ApiResponse r = victim.call("POST", "/v1/jobs", Recipes.job());
                assertThat(r.status()).as("the victim's request while %d slow uploads are open: %s", slow, r.bodyText()).isEqualTo(201);
                assertThat(++rounds).as("slow uploads are cut off within seconds").isLessThan(15);
                Thread.sleep(2_000); // the attack's pace (a byte every 2 s), not a wait for the server
                for (RawHttp u : uploads) if (u.pending()) u.poll(1);
            }
            // Cut off: answered 408 (the connection then closes), or closed outright if the answer was lost to a reset.
            for (RawHttp u : uploads) assertThat(u.status()).as(u.received()).isIn(0, 408);
            RawHttp answered = uploads.stream().filter(u -> u.status() == 408).findFirst().orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> !answered.poll()); // read to the end: the server closes
            assertThat(answered.received()).contains("request_timeout").contains("Connection: close");
        } finally {
            for (RawHttp u : uploads) u.close();
        }
    }

    @Test
    void anUploadThatSendsHeadersAndThenNothingIsCutOff() throws Exception {
        try (RawHttp stalled = new RawHttp(server.port()).sendHead("POST", "/v1/jobs", forged(), 1000)) {
            long t0 = System.nanoTime();
            await().atMost(Duration.ofMillis(RouteRegistrar.BODY_IDLE_TIMEOUT_MS + 10_000)).until(() -> !stalled.poll() || stalled.status() != 0);
            assertThat(stalled.status()).as(stalled.received()).isIn(0, 408); // 0: closed without an answer
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(RouteRegistrar.BODY_IDLE_TIMEOUT_MS - 1000);
        }
        assertThat(victim.call("GET", "/v1/jobs?limit=1", null).status()).isEqualTo(200);
    }

    @Test
    void aRequestThatCannotBeAuthenticatedIsRefusedBeforeItsBodyIsRead() throws Exception {
        Map<String, String> unknown = new HashMap<>(forged());
        unknown.put("X-API-Key", "pk_" + TestServer.randomHex(32));
        try (RawHttp u = new RawHttp(server.port()).sendHead("POST", "/v1/jobs", unknown, 100_000)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> u.poll() && u.status() != 0);
            assertThat(u.status()).isEqualTo(401);
            assertThat(u.received()).contains("unknown API key");
        }
    }

    @Test
    void theRateLimitIsOnByDefaultPerKey() throws Exception {
        Tenant greedy = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        // Every request reuses one nonce, so past the first each costs the server no write: the flood then outruns
        // 100 requests/s even on a busy machine. The limiter counts requests that passed the signature check,
        // before the nonce is looked at, so these count (401 "nonce reused" passed it, 429 did not).
        String nonce = TestServer.randomHex(32);
        GalleyClient flood = GalleyClient.builder(URI.create("http://127.0.0.1:" + server.port()),
                ApiKeyPair.parse(greedy.keyPair())).nonces(() -> nonce).build();
        AtomicReference<ApiResponse> limited = new AtomicReference<>();
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            for (int t = 0; t < 32; t++) {
                pool.submit(() -> {
                    while (limited.get() == null && sent.incrementAndGet() <= 5_000) {
                        ApiResponse r = flood.send("GET", "/v1/jobs?limit=1", null, Map.of());
                        if (r.status() == 429) limited.compareAndSet(null, r);
                        else passed.incrementAndGet();
                    }
                    return null;
                });
            }
            // Another key, meanwhile: its own budget.
            for (int i = 0; i < 10; i++) assertThat(victim.call("GET", "/v1/jobs?limit=1", null).status()).isEqualTo(200);
        }
        assertThat(limited.get()).as("a burst past the limit gets 429").isNotNull();
        assertThat(passed.get()).as("the burst (twice the rate) passes first").isGreaterThanOrEqualTo(2 * ServerConfig.DEFAULT_RATE_LIMIT_RPS);
        ApiResponse r = limited.get();
        assertThat(r.header("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        OpenApiContract.load().assertResponseMatches("GET", "/v1/jobs", 429, r.bodyText());
        JsonNode error = r.json().get("error");
        assertThat(error.get("type").asText()).isEqualTo("rate_limited");
        assertThat(error.get("message").asText()).contains("rate limit");
    }
}
