package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.GalleyServer;
import dev.galley.server.contract.OpenApiContract;
import dev.galley.server.it.TestServer.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spec §8: a database that goes away answers 503 with Retry-After (never 500), and the server recovers by
 * itself when it returns. Galley runs on an external PostgreSQL that the test stops and restarts in immediate
 * mode (every session cut, no checkpoint) under a stream of job creations.
 */
class DatabaseOutageIT {
    @TempDir
    static Path dir;
    static ExternalPostgres pg;
    static GalleyServer server;
    static Tenant tenant;
    static OpenApiContract contract;
    /** The one node's region; the load's jobs go elsewhere, so they wait and never fill it. */
    static final String NODE_REGION = "eu-west-1";
    static final String LOAD_REGION = "us-west-2";

    @BeforeAll
    static void start() throws Exception {
        pg = ExternalPostgres.start(dir);
        // The load is how the outage is observed, not what is tested: the per-key rate limit (AdmissionIT) is off here.
        server = TestServer.start(pg.jdbcUrlWithCredentials(), 30_000, c -> c.withRateLimitRps(0));
        tenant = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        contract = OpenApiContract.load();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (pg != null) pg.close();
    }

    @Test
    void while_the_database_is_down_requests_answer_503_with_retry_after_and_the_server_recovers_by_itself() throws Exception {
        SimulatedNode node = SimulatedNode.register(SimulatedNode.nodeKey(server, tenant), "outage-node", NODE_REGION, 64, 512, 10_000, List.of())
                .keepAlive();
        try (KeyedJobStream load = KeyedJobStream.start(tenant.client(), "down", LOAD_REGION, 4)) {
            load.awaitAnswers(201, 20);
            pg.stopImmediately();
            long downAt = System.nanoTime();
            load.awaitAnswers(503, 20, downAt);

            ApiResponse health = unsigned("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.header("Retry-After")).contains("1");
            contract.assertResponseMatches("GET", "/health", 503, health.bodyText());
            ApiResponse list = tenant.client().send("GET", "/v1/jobs?limit=1", null, Map.of());
            assertThat(list.status()).isEqualTo(503);
            assertThat(list.json().at("/error/type").asText()).isEqualTo("unavailable");
            contract.assertResponseMatches("GET", "/v1/jobs", 503, list.bodyText());

            pg.start();
            long upAt = System.nanoTime();
            load.awaitAnswers(201, 20, upAt);
            load.stop();
            System.out.println("database stopped and started: " + load.summary());

            load.assertStatusesAmong(Set.of(201, 503));
            load.assert503sAreQuickAndRetryable(contract, Duration.ofSeconds(8));
            load.assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(pg.jdbcUrlWithCredentials(), null, null);
        }
        // The scheduler, the reaper and the LISTEN connection lived through it: a new job is placed and its node woken.
        JsonNode job = tenant.ok("POST", "/v1/jobs", KeyedJobStream.body("after-the-outage", NODE_REGION), 201);
        JsonNode assignment = node.next(30_000);
        assertThat(assignment.at("/job_run/job_uuid").asText()).isEqualTo(job.get("uuid").asText());
        node.fallSilent();
        assertThat(unsigned("/health").status()).isEqualTo(200);
    }

    @Test
    void an_immediate_restart_under_load_answers_503s_never_500s_and_needs_no_restart_of_galley() throws Exception {
        try (KeyedJobStream load = KeyedJobStream.start(tenant.client(), "restart", LOAD_REGION, 4)) {
            load.awaitAnswers(201, 20);
            long t = System.nanoTime();
            pg.restartImmediately();
            load.awaitAnswers(201, 30, t);
            load.stop();
            System.out.println("database restarted in immediate mode: " + load.summary());
            load.assertStatusesAmong(Set.of(201, 503));
            load.assert503sAreQuickAndRetryable(contract, Duration.ofSeconds(8));
            load.assertAcknowledgedJobsSurvivedAndEveryKeyMakesOneJob(pg.jdbcUrlWithCredentials(), null, null);
        }
    }

    static ApiResponse unsigned(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new ApiResponse(r.statusCode(), r.headers().map(), r.body());
    }
}
