package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.GalleyServer;
import dev.galley.server.contract.OpenApiContract;
import dev.galley.server.it.TestServer.Tenant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        server = TestServer.start(pg.jdbcUrlWithCredentials(), 30_000);
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
        try (Load load = Load.start(tenant.client(), "down", 4)) {
            load.awaitAnswers(201, 20, 0);
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

            load.assertOnly201And503();
            load.assert503sAreQuickAndRetryable(Duration.ofSeconds(8));
            load.assertEveryAcknowledgedJobExistsAndEveryKeyMakesExactlyOneJob();
        }
        // The scheduler, the reaper and the LISTEN connection lived through it: a new job is placed and its node woken.
        JsonNode job = tenant.ok("POST", "/v1/jobs", Load.body("after-the-outage", NODE_REGION), 201);
        JsonNode assignment = node.next(30_000);
        assertThat(assignment.at("/job_run/job_uuid").asText()).isEqualTo(job.get("uuid").asText());
        node.fallSilent();
        assertThat(unsigned("/health").status()).isEqualTo(200);
    }

    @Test
    void an_immediate_restart_under_load_answers_503s_never_500s_and_needs_no_restart_of_galley() throws Exception {
        try (Load load = Load.start(tenant.client(), "restart", 4)) {
            load.awaitAnswers(201, 20, 0);
            long t = System.nanoTime();
            pg.restartImmediately();
            load.awaitAnswers(201, 30, t);
            load.stop();
            load.assertOnly201And503();
            load.assert503sAreQuickAndRetryable(Duration.ofSeconds(8));
            load.assertEveryAcknowledgedJobExistsAndEveryKeyMakesExactlyOneJob();
        }
    }

    static ApiResponse unsigned(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return new ApiResponse(r.statusCode(), r.headers().map(), r.body());
    }

    /** Creates jobs with an Idempotency-Key each from a few threads, without retrying, and keeps every answer. */
    static final class Load implements AutoCloseable {
        record Answer(String key, int status, String retryAfter, String type, String jobUuid, long sentAt, long tookNanos, String body) {}

        private final GalleyClient client;
        private final String prefix;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger counter = new AtomicInteger();
        final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        private Load(GalleyClient client, String prefix) {
            this.client = client;
            this.prefix = prefix + "-" + TestServer.randomHex(6);
        }

        static Load start(GalleyClient client, String prefix, int threads) {
            Load load = new Load(client, prefix);
            for (int i = 0; i < threads; i++) load.threads.add(Thread.ofPlatform().name("load-" + i).start(load::run));
            return load;
        }

        static String body(String key) {
            return body(key, LOAD_REGION);
        }

        static String body(String key, String region) {
            return "{\"title\":\"" + key + "\",\"task\":\"BATCH\",\"max_timeout_run_ms\":600000,"
                    + "\"allowed_region_codes\":[\"" + region + "\"],\"parameters\":{\"parameters\":{\"image\":\"busybox\"}}}";
        }

        private void run() {
            while (running.get()) {
                String key = prefix + "-" + counter.incrementAndGet();
                answers.add(send(key));
            }
        }

        Answer send(String key) {
            long t0 = System.nanoTime();
            ApiResponse r = client.send("POST", "/v1/jobs", body(key).getBytes(StandardCharsets.UTF_8), Map.of("Idempotency-Key", key));
            long took = System.nanoTime() - t0;
            JsonNode json = r.bodyText().isEmpty() ? null : r.json();
            return new Answer(key, r.status(), r.header("Retry-After").orElse(null),
                    json == null ? null : json.at("/error/type").asText(null), json == null ? null : json.path("uuid").asText(null),
                    t0, took, r.bodyText());
        }

        void awaitAnswers(int status, int count, long sentAfter) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() ->
                    answers.stream().filter(a -> a.status() == status && a.sentAt() - sentAfter > 0).count() >= count);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join();
        }

        void assertOnly201And503() {
            List<Answer> others = answers.stream().filter(a -> a.status() != 201 && a.status() != 503).toList();
            assertThat(others).as("answers other than 201 and 503 (a 500 is a bug)").isEmpty();
        }

        void assert503sAreQuickAndRetryable(Duration within) {
            List<Answer> unavailable = answers.stream().filter(a -> a.status() == 503).toList();
            for (Answer a : unavailable) {
                assertThat(a.retryAfter()).as("Retry-After of %s", a.body()).isEqualTo("1");
                assertThat(a.type()).isEqualTo("unavailable");
                contract.assertResponseMatches("POST", "/v1/jobs", 503, a.body());
                assertThat(Duration.ofNanos(a.tookNanos())).as("time to answer 503").isLessThan(within);
            }
        }

        /** Acknowledged jobs are there; retrying every key, answered or not, leaves exactly one job per key. */
        void assertEveryAcknowledgedJobExistsAndEveryKeyMakesExactlyOneJob() {
            Set<String> keys = new HashSet<>();
            for (Answer a : answers) {
                keys.add(a.key());
                if (a.status() == 201) {
                    assertThat(tenant.call("GET", "/v1/jobs/" + a.jobUuid(), null).status()).as("acknowledged job %s", a.key()).isEqualTo(200);
                }
            }
            Map<String, String> acknowledged = new java.util.HashMap<>();
            answers.stream().filter(a -> a.status() == 201).forEach(a -> acknowledged.put(a.key(), a.jobUuid()));
            Set<String> jobs = new HashSet<>();
            for (String key : keys) {
                Answer retry = send(key);
                assertThat(retry.status()).as("retry of %s: %s", key, retry.body()).isEqualTo(201);
                if (acknowledged.containsKey(key)) assertThat(retry.jobUuid()).as("replay of %s", key).isEqualTo(acknowledged.get(key));
                jobs.add(retry.jobUuid());
            }
            assertThat(jobs).as("one job per key").hasSize(keys.size());
            try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrlWithCredentials());
                 var ps = c.prepareStatement("SELECT count(*), count(DISTINCT title) FROM jobs WHERE title LIKE ? || '-%'")) {
                ps.setString(1, prefix);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("jobs in the database").isEqualTo(keys.size());
                    assertThat(rs.getLong(2)).as("distinct keys among them").isEqualTo(keys.size());
                }
            } catch (java.sql.SQLException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
