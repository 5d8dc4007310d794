package dev.galley.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;

/**
 * Benchmark 4: {@code jobs} jobs in one account (inserted with SQL, statuses mixed like a long-lived account);
 * GET /v1/jobs sorted by -created_at, with and without a status filter, first page and a deep page: p50/p99,
 * total exact. Also EXPLAIN ANALYZE of the SQL the server runs for the deep filtered page.
 */
public final class ListsBenchmark {
    public int jobs;
    public int deepPage;
    public int repetitions;

    public ListsBenchmark(Size size) {
        jobs = size.pick(20_000, 1_000_000);
        deepPage = size.pick(100, 1_000);
        repetitions = size.pick(20, 200);
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("lists", size);
        result.metric("jobs in the account", jobs, "");
        try (BenchEnv.Target t = env.target("lists", Map.of(), false); Connection db = t.connect()) {
            String[] consumer = t.account("bench-lists", "preset:compute_consumer");
            GalleyClient client = t.client(consumer[1]);
            JsonNode template = t.ok(client, "POST", "/v1/jobs", """
                    {"title":"template","task":"BATCH","cpu_count":2,"min_ram_gb":8,"max_timeout_run_ms":3600000,
                     "parameters":{"type":"docker","parameters":{"image":"ghcr.io/galley/etl","tag":"7","env":{"SHARD":"0"}}}}""", 201);
            t.ok(client, "PUT", "/v1/jobs/" + template.get("uuid").asText() + "/cancel", null, 200);
            String spec = t.queryString(db, "SELECT spec::text FROM jobs WHERE uuid = ?::uuid", template.get("uuid").asText());
            long s0 = System.nanoTime();
            insert(db, consumer[0], spec);
            try (var st = db.createStatement()) {
                st.execute("VACUUM ANALYZE jobs");
            }
            env.log("lists: %,d jobs inserted and analyzed in %.1f s", jobs, (System.nanoTime() - s0) / 1e9);

            long all = t.queryLong(db, "SELECT count(*) FROM jobs WHERE account_uuid = ?::uuid", consumer[0]);
            long completed = t.queryLong(db, "SELECT count(*) FROM jobs WHERE account_uuid = ?::uuid AND status = 'COMPLETED'", consumer[0]);
            String[][] queries = {
                    {"sort=-created_at, page 1", "/v1/jobs?sort=-created_at&page=1&limit=20", Long.toString(all)},
                    {"sort=-created_at, page " + deepPage, "/v1/jobs?sort=-created_at&page=" + deepPage + "&limit=20", Long.toString(all)},
                    {"status=COMPLETED, page 1", "/v1/jobs?filter[status]=COMPLETED&sort=-created_at&page=1&limit=20", Long.toString(completed)},
                    {"status=COMPLETED, page " + deepPage, "/v1/jobs?filter[status]=COMPLETED&sort=-created_at&page=" + deepPage + "&limit=20",
                            Long.toString(completed)}};
            var cpu = t.cpuMeter();
            for (String[] q : queries) {
                for (int i = 0; i < 5; i++) client.send("GET", q[1], null, Map.of()); // warm-up
                long[] lat = new long[repetitions];
                long wrong = 0;
                long failed = 0;
                for (int i = 0; i < repetitions; i++) {
                    long s = System.nanoTime();
                    ApiResponse r = client.send("GET", q[1], null, Map.of());
                    lat[i] = System.nanoTime() - s;
                    if (r.status() != 200) {
                        failed++;
                        continue;
                    }
                    JsonNode body = r.json();
                    if (body.get("total").asLong() != Long.parseLong(q[2]) || body.get("data").size() != 20) wrong++;
                }
                result.error(failed, "failed GET " + q[1]);
                result.error(wrong, "GET " + q[1] + " with a wrong total or a short page (expected total " + q[2] + ")");
                Stats s = Stats.of(lat, repetitions);
                env.log("lists: %-40s %s", q[0], s);
                result.metric(q[0] + " p50", s.p50Ms(), "ms");
                result.atMost(q[0] + " p99", s.p99Ms(), "ms", 50);
            }
            result.cpu("lists", cpu.stop());
            // The SQL ListSql builds for the deep filtered page, and its exact count.
            String cols = "uuid, account_uuid, status, status_reason, status_reason_code, spec, secrets, source_recipe_uuid, "
                    + "container_access_token, timeout_assign_at_ms, image_size_bytes, node_count, cancel_reason, created_at, updated_at, "
                    + "started_at, completed_at";
            String page = t.explain(db, "SELECT " + cols + " FROM jobs WHERE account_uuid = ?::uuid AND status = ANY(?) "
                    + "ORDER BY created_at DESC, uuid DESC LIMIT 20 OFFSET " + (deepPage - 1) * 20, consumer[0], new String[]{"COMPLETED"});
            String count = t.explain(db, "SELECT count(*) FROM jobs WHERE account_uuid = ?::uuid AND status = ANY(?)",
                    consumer[0], new String[]{"COMPLETED"});
            result.detail("EXPLAIN ANALYZE: status=COMPLETED, page " + deepPage + " (" + Result.fmt(jobs) + " jobs)", "```\n" + page + "```");
            result.detail("EXPLAIN ANALYZE: its exact total", "```\n" + count + "```");
        }
        return result;
    }

    /** Jobs of the last 90 days: 80% COMPLETED, 10% FAILED, 5% CANCELLED, 4.5% RUNNING, 0.5% PENDING (waiting, no node). */
    void insert(Connection db, String account, String spec) throws Exception {
        String sql = """
                INSERT INTO jobs (uuid, account_uuid, status, status_reason, status_reason_code, title, task, cpu_count, gpu_count,
                                  min_ram_gb, min_vram_gb, min_storage_gb, spec, container_access_token, timeout_assign_at_ms,
                                  node_count, created_at, updated_at, started_at, completed_at, wants_placement)
                SELECT gen_random_uuid(), ?::uuid, st,
                       CASE st WHEN 'PENDING' THEN 'waiting for a node that fits' WHEN 'FAILED' THEN 'run failed with exit code 1'
                               WHEN 'CANCELLED' THEN 'cancelled by the user' END,
                       CASE st WHEN 'PENDING' THEN 'WAITING_FOR_CAPACITY' WHEN 'FAILED' THEN 'RUN_FAILED' WHEN 'CANCELLED' THEN 'CANCELLED' END,
                       'etl shard ' || i, 'BATCH', 2, 0, 8, 0, 0,
                       CAST(? AS jsonb) || jsonb_build_object('title', 'etl shard ' || i, 'max_timeout_assign_ms', 2592000000),
                       md5(random()::text || i),
                       CASE WHEN st = 'PENDING' THEN (extract(epoch from now()) * 1000)::bigint + 2592000000 END,
                       CASE WHEN st IN ('PENDING', 'CANCELLED') THEN NULL ELSE 1 END,
                       ts, ts + interval '5 minutes',
                       CASE WHEN st IN ('COMPLETED', 'FAILED', 'RUNNING') THEN ts + interval '1 minute' END,
                       CASE WHEN st IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN ts + interval '5 minutes' END,
                       st = 'PENDING'
                FROM (SELECT i, now() - make_interval(secs => (? - i) * (7776000.0 / ?)) AS ts,
                             CASE WHEN i % 200 = 0 THEN 'PENDING' WHEN i % 200 < 10 THEN 'RUNNING' WHEN i % 20 = 10 THEN 'CANCELLED'
                                  WHEN i % 10 = 5 THEN 'FAILED' ELSE 'COMPLETED' END AS st
                      FROM generate_series(1, ?) i) s""";
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, account);
            ps.setString(2, spec);
            ps.setInt(3, jobs);
            ps.setInt(4, jobs);
            ps.setInt(5, jobs);
            ps.executeUpdate();
        }
    }
}
