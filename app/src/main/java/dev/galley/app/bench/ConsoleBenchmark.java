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
 * from this process over loopback and by the server itself (its Server-Timing header: the API call over loopback and
 * the rendering). Target: server time p99 ≤ 100 ms.
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
            // Each page alternates with its API twin (the same list call, signed by the same key), so both see the
            // same load: what the console adds is the difference, whatever else the machine is doing.
            String[][] pages = {
                    {"jobs page 1", "/console/jobs", "/v1/jobs?limit=25&page=1"},
                    {"jobs status=COMPLETED", "/console/jobs?status=COMPLETED", "/v1/jobs?limit=25&page=1&filter[status]=COMPLETED"},
                    {"jobs page " + deepPage, "/console/jobs?page=" + deepPage, "/v1/jobs?limit=25&page=" + deepPage}};
            for (String[] p : pages) {
                HttpRequest req = HttpRequest.newBuilder(t.url.resolve(p[1])).header("Cookie", "galley_session=" + cookie).GET().build();
                for (int i = 0; i < 5; i++) {
                    http.send(req, HttpResponse.BodyHandlers.ofString()); // warm-up
                    client.send("GET", p[2], null, Map.of());
                }
                long[] lat = new long[repetitions];
                long[] server = new long[repetitions];
                long[] twin = new long[repetitions];
                long failed = 0;
                for (int i = 0; i < repetitions; i++) {
                    long s = System.nanoTime();
                    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                    lat[i] = System.nanoTime() - s;
                    server[i] = serverNanos(r);
                    if (r.statusCode() != 200 || !r.body().contains("data-job=")) failed++;
                    long a = System.nanoTime();
                    if (client.send("GET", p[2], null, Map.of()).status() != 200) failed++;
                    twin[i] = System.nanoTime() - a;
                }
                result.error(failed, "GET " + p[1] + " without a page of jobs (or its API twin failed)");
                Stats s = Stats.of(lat, repetitions);
                Stats st = Stats.of(server, repetitions);
                Stats tw = Stats.of(twin, repetitions);
                env.log("console: %-24s client %s", p[0], s);
                env.log("console: %-24s server %s", p[0], st);
                env.log("console: %-24s API twin %s", p[0], tw);
                result.metric(p[0] + " p50 (client)", s.p50Ms(), "ms");
                result.metric(p[0] + " p50 (server)", st.p50Ms(), "ms");
                result.atMost(p[0] + " p99 (server)", st.p99Ms(), "ms", 100);
                result.metric(p[0] + " API twin p50", tw.p50Ms(), "ms");
                result.metric(p[0] + " API twin p99", tw.p99Ms(), "ms");
            }
        }
        return result;
    }

    /** The page's time as the server measured it (its Server-Timing header). */
    static long serverNanos(HttpResponse<String> r) {
        String t = r.headers().firstValue("Server-Timing").orElse("page;dur=NaN");
        return (long) (Double.parseDouble(t.substring(t.indexOf("dur=") + 4)) * 1e6);
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
