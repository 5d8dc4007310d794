package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestDatabase;
import dev.galley.server.it.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fuzzes every write endpoint with the seeded corpus of {@link FuzzCorpus} (a few thousand cases by default; more
 * with {@code -Dgalley.fuzz.cases=N}, another corpus with {@code -Dgalley.fuzz.seed=N|random}) on a server and
 * database of its own, then checks the server is still well: healthy, serving signed requests, no request still
 * holding an admission slot, no transaction left open, and the other tenant's objects as they were.
 * Every failing case is reported with the seed, its number, the request and the answer.
 */
class WriteEndpointFuzzIT {
    /** Cases per scene: the fuzzer's valid requests finish runs, cancel jobs and delete recipes, so it gets new ones. */
    static final int CASES_PER_SCENE = 400;
    static final int TIMEOUT_MS = 30_000;
    /** Distinct failures shown in full; the rest are counted. */
    static final int EXAMPLES_PER_PROBLEM = 2;

    static GalleyServer server;
    static String jdbcUrl;
    static FuzzWorld world;

    @BeforeAll
    static void start() {
        jdbcUrl = TestDatabase.fresh(); // its own database: no other test's jobs land on the fuzzer's nodes, or the reverse
        // No per-key rate limit (the corpus is thousands of requests with one key); nodes never time out during a run.
        server = TestServer.start(jdbcUrl, Duration.ofDays(1).toMillis(), c -> c.withRateLimitRps(0));
        world = new FuzzWorld(server, TIMEOUT_MS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void everyWriteEndpointAnswersTheCorpusWithoutA5xxAndTheServerStaysWell() throws Exception {
        FuzzCorpus corpus = new FuzzCorpus(FuzzCorpus.seedFromProperties());
        int cases = FuzzCorpus.casesFromProperties();
        Map<String, JsonNode> foreignBefore = world.foreignSnapshot();
        Map<String, List<String>> failures = new LinkedHashMap<>();
        Map<String, Integer> failureCounts = new LinkedHashMap<>();
        Map<FuzzCorpus.Family, Map<Integer, Integer>> statuses = new java.util.EnumMap<>(FuzzCorpus.Family.class);
        System.out.printf("fuzz: seed %d, %d cases (-D%s=%d -D%s=%d)%n", corpus.seed(), cases,
                FuzzCorpus.SEED_PROPERTY, corpus.seed(), FuzzCorpus.CASES_PROPERTY, cases);
        long t0 = System.nanoTime();
        ResponseOracle oracle = new ResponseOracle(world);
        FuzzTargets targets = null;
        for (int i = 0; i < cases; i++) {
            if (i % CASES_PER_SCENE == 0) targets = world.newScene();
            FuzzRequest request = corpus.caseAt(i, targets);
            WireClient.Response response = world.send(request);
            statuses.computeIfAbsent(request.family(), f -> new java.util.TreeMap<>()).merge(response.status(), 1, Integer::sum);
            for (String problem : oracle.problems(request, response)) {
                String key = request.endpoint() + ": " + problem.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>");
                failureCounts.merge(key, 1, Integer::sum);
                List<String> examples = failures.computeIfAbsent(key, k -> new ArrayList<>());
                if (examples.size() < EXAMPLES_PER_PROBLEM) {
                    examples.add(request.describe() + "\n  answer " + response.status() + ": " + FuzzRequest.preview(response.body(), 1200));
                }
            }
        }
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("fuzz: seed %d, %d cases in %d ms; statuses by family %s%n", corpus.seed(), cases, tookMs, statuses);

        assertThat(failures).as(() -> report(corpus.seed(), cases, failures, failureCounts)).isEmpty();
        theServerIsStillWell(foreignBefore);
    }

    private static String report(long seed, int cases, Map<String, List<String>> failures, Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder("the fuzzer found " + failures.size() + " kinds of failure in " + cases + " cases of seed "
                + seed + " (run again with -Dgalley.fuzz.seed=" + seed + " -Dgalley.fuzz.cases=" + cases + ")\n");
        failures.forEach((problem, examples) -> {
            sb.append("\n== ").append(problem).append(" (").append(counts.get(problem)).append(" cases)\n");
            examples.forEach(e -> sb.append(e).append("\n"));
        });
        return sb.toString();
    }

    private void theServerIsStillWell(Map<String, JsonNode> foreignBefore) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + server.port());
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("/health after the fuzzing").isEqualTo(200);

        var tenant = world.tenant();
        ApiResponse created = TestServer.call(TestServer.client(server, tenant.keyPair()), "POST", "/v1/jobs", WriteEndpoint.job());
        assertThat(created.status()).as("a valid signed request after the fuzzing: %s", created.bodyText()).isEqualTo(201);

        // Every admitted request gave its slot back, and none is still running.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(gauge(metrics, "galley_http_requests_in_flight")).as("admission slots held after the fuzzing").isEqualTo(0.0);
            assertThat(metrics).as("no request was answered with a 5xx, seen or not").doesNotContainPattern("galley_http_requests_seconds_count\\{[^}]*status=\"5");
        });
        // No handler left a transaction open on its connection.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(idleInTransaction()).as("database sessions idle in a transaction").isZero());

        Map<String, JsonNode> foreignAfter = world.foreignSnapshot();
        foreignBefore.forEach((what, before) ->
                assertThat(foreignAfter.get(what)).as("the other tenant's %s after the fuzzing", what).isEqualTo(before));
    }

    static double gauge(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(m.find()).as("%s in /metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static int idleInTransaction() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
