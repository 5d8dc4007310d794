package dev.galley.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;

/**
 * The web console's jobs page on an account with {@code jobs} jobs (inserted with SQL like the lists benchmark):
 * GET /console/jobs signed in through the console's own form, first page, a status filter and a deep page, timed
 * from this process over loopback (an upper bound of the server's time). Target: p99 ≤ 100 ms.
 */
public final class ConsoleBenchmark {
    public int jobs;
    public int repetitions;
    public int deepPage;

    public ConsoleBenchmark(Size size) {
        jobs = size.pick(20_000, 1_000_000);
        deepPage = size.pick(100, 1_000);
        repetitions = size.pick(20, 200);
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("console", size);
        result.metric("jobs in the account", jobs, "");
        try (BenchEnv.Target t = env.target("console", Map.of(), false); Connection db = t.connect()) {
            String[] consumer = t.account("bench-console", "preset:compute_consumer");
            GalleyClient client = t.client(consumer[1]);
            JsonNode template = t.ok(client, "POST", "/v1/jobs", """
                    {"title":"template","task":"BATCH","cpu_count":2,"min_ram_gb":8,"max_timeout_run_ms":3600000,
                     "parameters":{"type":"docker","parameters":{"image":"ghcr.io/galley/etl","tag":"7"}}}""", 201);
            t.ok(client, "PUT", "/v1/jobs/" + template.get("uuid").asText() + "/cancel", null, 200);
            String spec = t.queryString(db, "SELECT spec::text FROM jobs WHERE uuid = ?::uuid", template.get("uuid").asText());
            long s0 = System.nanoTime();
            var lists = new ListsBenchmark(size);
            lists.jobs = jobs;
            lists.insert(db, consumer[0], spec);
            try (var st = db.createStatement()) {
                st.execute("VACUUM ANALYZE jobs");
            }
            env.log("console: %,d jobs inserted and analyzed in %.1f s", jobs, (System.nanoTime() - s0) / 1e9);

            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            String cookie = signIn(http, t.url, consumer[1]);
            String[][] pages = {
                    {"jobs page 1", "/console/jobs"},
                    {"jobs status=COMPLETED", "/console/jobs?status=COMPLETED"},
                    {"jobs page " + deepPage, "/console/jobs?page=" + deepPage}};
            for (String[] p : pages) {
                HttpRequest req = HttpRequest.newBuilder(t.url.resolve(p[1])).header("Cookie", "galley_session=" + cookie).GET().build();
                for (int i = 0; i < 5; i++) http.send(req, HttpResponse.BodyHandlers.ofString()); // warm-up
                long[] lat = new long[repetitions];
                long failed = 0;
                for (int i = 0; i < repetitions; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    lat[i] = System.nanoTime() - s;
                    if (r.statusCode() != 200 || !r.body().contains("data-job=")) failed++;
                }
                result.error(failed, "GET " + p[1] + " without a page of jobs");
                Stats s = Stats.of(lat, repetitions);
                env.log("console: %-28s %s", p[0], s);
                result.metric(p[0] + " p50", s.p50Ms(), "ms");
                result.atMost(p[0] + " p99", s.p99Ms(), "ms", 100);
            }
            // The page's API twin under the same load: what the console adds is the difference.
            long[] lat = new long[repetitions];
            for (int i = 0; i < 5; i++) client.send("GET", "/v1/jobs?limit=25&page=1", null, Map.of());
            for (int i = 0; i < repetitions; i++) {
                long s = System.nanoTime();
                client.send("GET", "/v1/jobs?limit=25&page=1", null, Map.of());
                lat[i] = System.nanoTime() - s;
            }
            Stats api = Stats.of(lat, repetitions);
            env.log("console: %-28s %s", "API twin GET /v1/jobs", api);
            result.metric("API twin GET /v1/jobs p50", api.p50Ms(), "ms");
            result.metric("API twin GET /v1/jobs p99", api.p99Ms(), "ms");
        }
        return result;
    }

    /** Signs in through the console's form, as a browser does, and returns the session cookie's value. */
    static String signIn(HttpClient http, URI base, String keyPair) throws Exception {
        int colon = keyPair.indexOf(':');
        String form = "public_key=" + URLEncoder.encode(keyPair.substring(0, colon), StandardCharsets.UTF_8)
                + "&secret_key=" + URLEncoder.encode(keyPair.substring(colon + 1), StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        String set = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException(
                "console sign-in answered " + r.statusCode() + " without a session: " + r.body()));
        return set.substring(set.indexOf('=') + 1, set.indexOf(';'));
    }
}
