package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import dev.galley.server.runs.LogFollowers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spec §8, "nothing unbounded from one tenant", for run output: a run's stored output is capped (oldest dropped,
 * with a marker), a finished run takes no more (409), reading a run reads only its tail, and a follow stream ends
 * when its client goes, even on a quiet run. A server of its own, with the smallest cap (1 MiB).
 */
class RunLogLimitsIT {
    static final long CAP = 1024 * 1024;
    static String db;
    static GalleyServer server;
    static Tenant consumer;
    static SimulatedNode node;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        server = TestServer.start(db, 30_000, c -> c.withLimits(c.limits().withLogRetentionBytes(CAP)));
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        node = SimulatedNode.register(SimulatedNode.nodeKey(server, consumer), "logs-node", "ap-east-1", 64, 256, 500, List.of()).keepAlive();
    }

    @AfterAll
    static void stop() {
        node.fallSilent();
        server.close();
    }

    /** A RUNNING run on the node. */
    static String runningRun() {
        consumer.ok("POST", "/v1/jobs", """
                {"title":"logs","task":"PERSISTENT","max_timeout_run_ms":null,"allowed_region_codes":["ap-east-1"],
                 "parameters":{"parameters":{"image":"busybox"}}}""", 201);
        String run = node.next(10_000).at("/job_run/uuid").asText();
        node.reportOk(run, "{\"status\":\"PREPARING\"}");
        node.reportOk(run, "{\"status\":\"RUNNING\"}");
        return run;
    }

    /** A chunk of exactly {@code bytes} bytes: a numbered first line, then filler lines. */
    static String chunk(int i, int bytes) {
        StringBuilder sb = new StringBuilder("chunk-" + i + "\n");
        while (sb.length() < bytes - 1) sb.append("x".repeat(Math.min(99, bytes - 1 - sb.length() - 1))).append('\n');
        sb.setLength(bytes - 1);
        return sb.append('\n').toString();
    }

    static long sql(String query, String run) throws Exception {
        try (var c = DriverManager.getConnection(db); var ps = c.prepareStatement(query)) {
            ps.setObject(1, java.util.UUID.fromString(run));
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aLogFloodKeepsAtMostTheCapTheNewestOutputAndAMarker() throws Exception {
        String run = runningRun();
        int chunkBytes = 200 * 1024;
        int chunks = 16; // 3.1 MiB, three times the cap
        for (int i = 0; i < chunks; i++) node.log(run, chunk(i, chunkBytes));

        long kept = sql("SELECT COALESCE(sum(octet_length(chunk)), 0) FROM job_run_logs WHERE job_run_uuid = ?", run);
        assertThat(kept).as("stored output of the run").isLessThanOrEqualTo(CAP).isGreaterThan(CAP / 2);
        long dropped = (long) chunks * chunkBytes - kept;

        JsonNode got = consumer.ok("GET", "/v1/job-runs/" + run, null, 200);
        String logs = got.get("logs").asText();
        assertThat(got.get("logs_truncated").asBoolean()).isTrue();
        assertThat(logs).startsWith(dev.galley.core.logs.LogRetention.droppedMarker(dropped))
                .endsWith(chunk(chunks - 1, chunkBytes))
                .doesNotContain("chunk-0\n");
        assertThat(logs.getBytes(StandardCharsets.UTF_8).length).as("the tail and a marker line, nothing more")
                .isLessThanOrEqualTo((int) CAP + 100);

        ApiResponse text = consumer.call("GET", "/v1/job-runs/" + run + "/logs", null);
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.bodyText()).isEqualTo(logs);
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
    }

    @Test
    void aFinishedRunTakesNoMoreOutput() {
        String run = runningRun();
        node.log(run, "last words\n");
        node.reportOk(run, "{\"status\":\"FAILED\",\"exit_code\":2}");
        for (String late : List.of("after the end\n", "")) {
            ApiResponse r = TestServer.call(node.client, "POST", "/v1/job-runs/" + run + "/logs", late, Map.of("Content-Type", "text/plain"));
            JsonNode error = ok(r, 409).get("error");
            assertThat(error.get("type").asText()).isEqualTo("conflict");
            assertThat(error.get("message").asText()).contains("FAILED").contains("no more output");
        }
        assertThat(consumer.ok("GET", "/v1/job-runs/" + run, null, 200).get("logs").asText()).isEqualTo("last words\n");
    }

    @Test
    void aFollowStreamEndsWhenItsClientHangsUpOnAQuietRun() throws Exception {
        String run = runningRun();
        node.log(run, "hello\n");
        try (RawHttp follow = new RawHttp(server.port())) {
            follow.sendHead(consumer.keyPair(), "GET", "/v1/job-runs/" + run + "/logs?follow=true", new byte[0], -1);
            await().atMost(Duration.ofSeconds(10)).until(() -> follow.poll() && follow.received().contains("hello\n"));
            assertThat(follow.status()).isEqualTo(200);
            assertThat(followers()).isEqualTo(1);

            node.log(run, "more\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> follow.poll() && follow.received().contains("more\n"));
        }
        // The run stays RUNNING and prints nothing: only noticing the closed connection ends the stream.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(followers()).isZero());
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
    }

    @Test
    void aFollowStreamEndsWhenItsRunDoes() throws Exception {
        String run = runningRun();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/job-runs/" + run + "/logs?follow=true"));
        dev.galley.client.RequestSigning.headers(dev.galley.client.ApiKeyPair.parse(consumer.keyPair()), "GET",
                "/v1/job-runs/" + run + "/logs?follow=true", new byte[0], System.currentTimeMillis(),
                dev.galley.client.RequestSigning.randomNonce()).forEach(request::header);
        var response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> followers() == 1);
        node.log(run, "working\n");
        node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        HttpResponse<String> done = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("working\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> followers() == 0);
    }

    @Test
    void aKeyMayHoldOnlySoManyFollowStreams() throws Exception {
        String run = runningRun();
        Tenant greedy = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        // The run belongs to `consumer`; the greedy tenant follows a run of its own.
        greedy.ok("POST", "/v1/jobs", """
                {"title":"mine","task":"PERSISTENT","max_timeout_run_ms":null,"allowed_region_codes":["ap-east-1"],
                 "parameters":{"parameters":{"image":"busybox"}}}""", 201);
        String own = node.next(10_000).at("/job_run/uuid").asText();
        List<RawHttp> streams = new ArrayList<>();
        try {
            for (int i = 0; i < LogFollowers.MAX_PER_KEY; i++) {
                RawHttp s = new RawHttp(server.port()).sendHead(greedy.keyPair(), "GET", "/v1/job-runs/" + own + "/logs?follow=true", new byte[0], -1);
                streams.add(s);
                await().atMost(Duration.ofSeconds(10)).until(() -> s.poll() && s.status() == 200);
            }
            ApiResponse refused = greedy.call("GET", "/v1/job-runs/" + own + "/logs?follow=true", null);
            assertThat(ok(refused, 429).get("error").get("message").asText()).contains("follows " + LogFollowers.MAX_PER_KEY);
            assertThat(refused.header("Retry-After")).isPresent();

            // Another key is not affected.
            try (RawHttp other = new RawHttp(server.port())) {
                other.sendHead(consumer.keyPair(), "GET", "/v1/job-runs/" + run + "/logs?follow=true", new byte[0], -1);
                await().atMost(Duration.ofSeconds(10)).until(() -> other.poll() && other.status() == 200);
            }
        } finally {
            for (RawHttp s : streams) s.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> followers() == 0);
        node.reportOk(run, "{\"status\":\"CANCELLED\"}");
        node.reportOk(own, "{\"status\":\"CANCELLED\"}");
    }

    /** The galley_log_followers gauge of /metrics. */
    static int followers() throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^galley_log_followers(?:\\{[^}]*\\})? ([0-9.]+)$").matcher(metrics);
        assertThat(m.find()).as("galley_log_followers in /metrics").isTrue();
        return (int) Double.parseDouble(m.group(1));
    }
}
