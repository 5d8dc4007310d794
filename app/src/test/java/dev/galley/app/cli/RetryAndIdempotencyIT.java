package dev.galley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.app.cli.FaultProxy.DropResponse;
import dev.galley.app.cli.FaultProxy.Respond;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyConnectionException;
import dev.galley.client.Job;
import dev.galley.client.ListQuery;
import dev.galley.client.Recipe;
import dev.galley.client.RetryPolicy;
import dev.galley.core.lifecycle.JobStatus;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry rules, with a proxy between the SDK and the real server that loses answers or answers 429/503 on
 * purpose: what is safe to repeat is repeated, a lost answer to a create never makes a second job, and what is
 * not safe is never sent twice.
 */
class RetryAndIdempotencyIT {
    static final String RATE_LIMITED = "{\"error\": {\"type\": \"rate_limited\", \"message\": \"slow down\"}}";
    static final String UNAVAILABLE = "{\"error\": {\"type\": \"internal\", \"message\": \"try again\"}}";

    FaultProxy proxy;
    Tenant tenant;
    Galley direct;
    Galley viaProxy;
    List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        proxy = new FaultProxy(TestServer.baseUrl());
        tenant = TestServer.newTenant();
        direct = SdkFixtures.galley(tenant);
        viaProxy = Galley.builder(proxy.url(), ApiKeyPair.parse(tenant.keyPair()))
                .retryPolicy(new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .sleeper(waits::add) // the waits are recorded, not slept: what is asserted is how long they would be
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    @Test
    void aLostAnswerToJobCreateIsRetriedAndStillYieldsExactlyOneJob() {
        proxy.then(new DropResponse());
        Job job = viaProxy.jobs().create(SdkFixtures.jobSpec("once only"));

        assertThat(proxy.seen()).hasSize(2);
        assertThat(proxy.seen().get(0).idempotencyKey()).isNotBlank()
                .isEqualTo(proxy.seen().get(1).idempotencyKey());
        var all = direct.jobs().list(ListQuery.first(50));
        assertThat(all.total()).as("the server created one job, the retry got it back").isEqualTo(1);
        assertThat(all.data().get(0).uuid()).isEqualTo(job.uuid());
        assertThat(waits).hasSize(1);
    }

    @Test
    void aLostAnswerToCookIsRetriedAndStillYieldsExactlyOneJob() {
        Recipe recipe = direct.recipes().create(SdkFixtures.recipe("retry-cook"));
        proxy.then(new DropResponse(), new DropResponse());
        Job job = viaProxy.recipes().cook(recipe.uuid(), SdkFixtures.json("{\"inputs\": {\"scene\": \"x\"}}"));

        assertThat(proxy.seen()).hasSize(3);
        assertThat(proxy.seen()).extracting(FaultProxy.Seen::idempotencyKey).containsOnly(proxy.seen().get(0).idempotencyKey());
        assertThat(direct.jobs().list(ListQuery.first(50)).data()).extracting(Job::uuid).containsExactly(job.uuid());
    }

    @Test
    void aPostWithoutIdempotencyIsNeverSentTwice() {
        proxy.then(new DropResponse());
        assertThatThrownBy(() -> viaProxy.recipes().create(SdkFixtures.recipe("maybe-created")))
                .isInstanceOf(GalleyConnectionException.class);
        assertThat(proxy.seen()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aPostWithoutIdempotencyIsNotRetriedOn503() {
        proxy.then(new Respond(503, "", UNAVAILABLE));
        assertThatThrownBy(() -> viaProxy.recipes().create(SdkFixtures.recipe("r503")))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(proxy.seen()).hasSize(1);
    }

    @Test
    void readsAreRetriedOn5xxWithGrowingBackoff() {
        proxy.then(new Respond(502, "", UNAVAILABLE), new Respond(500, "", UNAVAILABLE), new Respond(503, "", UNAVAILABLE));
        assertThat(viaProxy.jobs().list(ListQuery.defaults()).total()).isZero();
        assertThat(proxy.seen()).hasSize(4);
        assertThat(waits).hasSize(3);
        // Equal jitter: each wait is at least half its ceiling (100, 200, 400 ms).
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(2)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void giveUpAfterMaxAttemptsWithTheLastAnswer() {
        proxy.then(new Respond(503, "", UNAVAILABLE), new Respond(503, "", UNAVAILABLE),
                new Respond(503, "", UNAVAILABLE), new Respond(503, "", UNAVAILABLE));
        assertThatThrownBy(() -> viaProxy.jobs().list(ListQuery.defaults()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.apiMessage()).isEqualTo("try again");
                });
        assertThat(proxy.seen()).hasSize(4);
    }

    @Test
    void rateLimitedRequestsHonourRetryAfterEvenForPlainPosts() {
        proxy.then(new Respond(429, "Retry-After: 2\r\n", RATE_LIMITED));
        Recipe recipe = viaProxy.recipes().create(SdkFixtures.recipe("after-429"));
        assertThat(recipe.uuid()).isNotBlank();
        assertThat(proxy.seen()).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(direct.recipes().findByName("after-429", false)).hasSize(1);
    }

    @Test
    void aRetryAfterLongerThanThePolicyAllowsIsReturnedAtOnce() {
        proxy.then(new Respond(429, "Retry-After: 3600\r\n", RATE_LIMITED));
        assertThatThrownBy(() -> viaProxy.jobs().list(ListQuery.defaults()))
                .isInstanceOfSatisfying(GalleyApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.type()).isEqualTo("rate_limited");
                    assertThat(e.response().header("Retry-After")).contains("3600");
                });
        assertThat(waits).isEmpty();
    }

    @Test
    void aRefusedConnectionIsRetriedEvenForPlainPostsBecauseNothingWasSent() throws Exception {
        int deadPort;
        try (var socket = new java.net.ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Galley nowhere = Galley.builder(java.net.URI.create("http://127.0.0.1:" + deadPort), ApiKeyPair.parse(tenant.keyPair()))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ZERO))
                .sleeper(waits::add)
                .build();
        assertThatThrownBy(() -> nowhere.recipes().create(SdkFixtures.recipe("nowhere")))
                .isInstanceOf(GalleyConnectionException.class).hasMessageContaining("cannot connect");
        assertThat(waits).hasSize(2);
    }

    @Test
    void aCancelWhoseAnswerWasLostStillReportsTheCancelledJob() {
        Job job = direct.jobs().create(SdkFixtures.jobSpec("cancel me"));
        proxy.then(new DropResponse());
        Job cancelled = viaProxy.jobs().cancel(job.uuid(), "lost answer");
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(proxy.seen().stream().filter(s -> s.method().equals("PUT")).count()).isGreaterThanOrEqualTo(2);
    }
}
