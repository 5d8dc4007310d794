package dev.galley.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark 1: signed cooks, closed loop (max throughput) and open loop at a fixed rate, plus pgbench running the
 * cook's database work against the same database; prints cook/s ÷ pgbench tps and everyone's CPU.
 */
public final class CookBenchmark {
    public int concurrency = 8;
    public Duration warmup;
    public Duration maxWarmup;
    public Duration closed;
    public double rate;
    public Duration open;
    public Duration openLeadIn;
    public int pgbenchSeconds;
    public int pgbenchClients = 4;

    static final String RECIPE = """
            {"name":"bench render","visibility":"PRIVATE",
             "input_schema":[{"key":"scene","type":"string","required":false,"default_value":"intro"},
                             {"key":"frames","type":"number","required":false,"default_value":24}],
             "payload":{"title":"render {{scene}}","task":"BATCH","cpu_count":2,"min_ram_gb":4,"min_storage_gb":10,
               "max_timeout_run_ms":600000,
               "parameters":{"type":"docker","parameters":{"image":"ghcr.io/galley/blender","tag":"4.2",
                 "env":{"SCENE":"{{scene}}","FRAMES":"{{frames}}","MODE":"final"},"ports":[8080]}}}}""";
    static final String COOK_BODY = "{\"inputs\":{\"scene\":\"s42\",\"frames\":48},\"cpu_count\":4,\"parameters\":{\"parameters\":{\"env\":{\"MODE\":\"preview\"}}}}";

    public CookBenchmark(Size size) {
        warmup = Duration.ofSeconds(size.pick(1, 5));
        maxWarmup = Duration.ofSeconds(size.pick(1, 90));
        closed = Duration.ofSeconds(size.pick(2, 20));
        rate = size.pick(50.0, 1000.0);
        open = Duration.ofSeconds(size.pick(2, 10));
        openLeadIn = Duration.ofSeconds(size.pick(1, 2));
        pgbenchSeconds = size.pick(2, 10);
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("cook", size);
        try (BenchEnv.Target t = env.target("cook", Map.of(), env.opts.jfr)) {
            String[] tenant = t.account("bench-cook", "preset:compute_consumer");
            GalleyClient client = t.client(tenant[1]);
            JsonNode recipe = t.ok(client, "POST", "/v1/job-recipes", RECIPE, 201);
            String path = "/v1/job-recipes/" + recipe.get("uuid").asText() + "/cook";
            Load.Request cook = Load.Request.of("POST", path, COOK_BODY);

            env.log("cook: warm-up (at least %d s, until the server's JIT is quiet)", warmup.toSeconds());
            double warmed = JitWarmup.run(env, t.serverPid, warmup, maxWarmup, d -> Load.closedLoop(client, cook, 201, concurrency, d));
            result.metric("warm-up, until the server's JIT is quiet", warmed, "s");

            env.log("cook: closed loop, %d workers, %d s", concurrency, closed.toSeconds());
            long jfrFrom = System.currentTimeMillis();
            var cpu = t.cpuMeter();
            Load.Outcome c = Load.closedLoop(client, cook, 201, concurrency, closed);
            double[] closedCpu = cpu.stop();
            long jfrTo = System.currentTimeMillis();
            report(result, "closed-loop", c);
            result.metric("closed-loop cooks/s", c.throughput(), "/s");
            result.latency("closed-loop latency", c.latency(), Double.NaN);
            result.cpu("closed-loop", closedCpu);

            env.log("cook: open loop at %.0f req/s for %d s (after at least %d s unmeasured at that rate)", rate, open.toSeconds(), openLeadIn.toSeconds());
            // The lead-in opens the connections this rate needs, and runs until the server's JIT is quiet again: the
            // open loop takes paths the closed loop did not (the compiler was seen at 22% of a core during it).
            double leadIn = JitWarmup.run(env, t.serverPid, openLeadIn, maxWarmup,
                    d -> Load.openLoop(client, i -> cook, 201, rate, d, (int) Math.max(256, rate * 5), null));
            result.metric("open-loop lead-in, until the server's JIT is quiet", leadIn, "s");
            cpu = t.cpuMeter();
            double jit0 = t.serverPid > 0 ? Proc.jitCpuSeconds(t.serverPid) : -1;
            long openStart = System.nanoTime();
            Load.Outcome o = Load.openLoop(client, i -> cook, 201, rate, open, (int) Math.max(256, rate * 5), null);
            double[] openCpu = cpu.stop();
            // JIT compilation during the measurement takes CPU from the requests: shown so a bad tail can be told apart.
            double jitShare = jit0 < 0 ? Double.NaN : (Proc.jitCpuSeconds(t.serverPid) - jit0) / ((System.nanoTime() - openStart) / 1e9) * 100;
            report(result, "open-loop", o);
            result.metric("open-loop rate sent", rate, "/s");
            result.metric("open-loop completed/s", o.throughput(), "/s");
            result.latency("open-loop latency", o.latency(), size == Size.full ? 25 : Double.NaN);
            result.cpu("open-loop", openCpu);
            result.metric("open-loop CPU server JIT compiler", jitShare, "%");
            // pgbench last: its rows are not the server's own, and the scheduler digesting them must not land in the open loop.
            double tps = Double.NaN;
            try (Connection db = t.connect()) {
                // pgbench commits on the same PostgreSQL with its defaults, as the server does: same durability.
                String durability = "synchronous_commit=" + t.queryString(db, "SHOW synchronous_commit")
                        + ", fsync=" + t.queryString(db, "SHOW fsync") + ", commit_delay=" + t.queryString(db, "SHOW commit_delay");
                result.detail("durability of the server's and pgbench's commits", durability);
                env.log("cook: pgbench, %d clients, %d s (%s)", pgbenchClients, pgbenchSeconds, durability);
                var pgCpu = t.cpuMeter();
                tps = pgbench(env, t, db, recipe.get("uuid").asText(), tenant[1].substring(0, tenant[1].indexOf(':')), result);
                double[] p = pgCpu.stop();
                result.metric("pgbench phase CPU PostgreSQL", p[2], "%");
            }
            result.metric("pgbench tps (cook-equivalent transaction)", tps, "/s");
            // Concurrent cooks share one COMMIT (group commit); pgbench's one-cook transactions cannot, so with
            // synchronous_commit on the server must beat the baseline, not merely approach it.
            result.atLeast("cook/s ÷ pgbench tps", c.throughput() / tps * 100, "%", 100);

            result.metric("server RSS after cook", t.serverRssMb(), "MB");
            t.close(); // stops the server so its JFR recording is written
            if (t.jfrFile != null && Files.exists(t.jfrFile)) {
                String hot = JfrSummary.summarize(t.jfrFile, jfrFrom, jfrTo, 20);
                result.detail("JFR hot spots of the server during the closed-loop cook (" + t.jfrFile.getFileName() + ")", hot);
                env.out.println(hot);
            }
        }
        return result;
    }

    private static void report(Result r, String phase, Load.Outcome o) {
        r.error(o.errors(), phase + " failed requests, e.g. " + o.errorSamples());
    }

    /** Runs pgbench with the database work of one cook, on the server's database; returns its tps. */
    double pgbench(BenchEnv env, BenchEnv.Target t, Connection db, String recipeUuid, String publicKey, Result result)
            throws Exception {
        // The job the server would insert: the spec of a cooked job, stored as the server stores it.
        String accountUuid = t.queryString(db, "SELECT account_uuid::text FROM job_recipes WHERE uuid = ?::uuid", recipeUuid);
        // With the wait reason the server wrote on it too, so the scheduler has nothing to rewrite on pgbench's rows.
        String[] cooked = t.queryRow(db, "SELECT spec::text, status_reason, status_reason_code FROM jobs "
                + "WHERE source_recipe_uuid = ?::uuid ORDER BY created_at DESC LIMIT 1", recipeUuid);
        if (cooked == null) throw new IllegalStateException("no cooked job to copy the spec from");
        String spec = cooked[0];
        String reason = cooked[1];
        String code = cooked[2];
        String script = """
                -- What one POST /v1/job-recipes/{uuid}/cook asks of PostgreSQL when it is written alone (JobService):
                -- read the recipe, then one transaction with the nonce claim and the job. (API keys are cached, the
                -- recipe's last_used_at is written at most once a second.)
                SELECT uuid, account_uuid, name, visibility, payload, secrets, input_schema FROM job_recipes WHERE uuid = '%2$s';
                BEGIN;
                INSERT INTO request_nonces (public_key, nonce) VALUES ('%1$s', md5(random()::text || clock_timestamp()::text || :client_id)) ON CONFLICT DO NOTHING;
                INSERT INTO jobs (uuid, account_uuid, status, status_reason, status_reason_code, title, task, cpu_count, gpu_count, min_ram_gb, min_vram_gb, min_storage_gb, spec, secrets, source_recipe_uuid, container_access_token, timeout_assign_at_ms, created_at, updated_at) VALUES (gen_random_uuid(), '%3$s', 'PENDING', '%5$s', '%6$s', 'render s42', 'BATCH', 4, 0, 4, 0, 10, CAST('%4$s' AS jsonb), NULL, '%2$s', md5(random()::text), (extract(epoch from clock_timestamp()) * 1000)::bigint + 300000, now(), now());
                END;
                """.formatted(publicKey, recipeUuid, accountUuid, spec.replace("'", "''"), reason.replace("'", "''"), code);
        Path file = env.workDir.resolve("cook.pgbench.sql");
        Files.writeString(file, script);
        URI u = URI.create(t.jdbcUrl.substring("jdbc:".length()));
        String dbName = u.getPath().substring(1);
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-n", "-c", Integer.toString(pgbenchClients), "-j",
                Integer.toString(Math.min(2, pgbenchClients)), "-T", Integer.toString(pgbenchSeconds),
                "-f", file.toString(), "-h", u.getHost(), "-p", Integer.toString(u.getPort() < 0 ? 5432 : u.getPort()),
                "-U", t.dbUser, dbName));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (t.dbPassword != null) pb.environment().put("PGPASSWORD", t.dbPassword);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            result.error(1, "pgbench could not be started (" + e.getMessage() + "); install the PostgreSQL client tools");
            return Double.NaN;
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) p.destroyForcibly();
        Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(output);
        Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(output);
        if (failed.find() && Long.parseLong(failed.group(1)) > 0) result.error(Long.parseLong(failed.group(1)), "pgbench failed transactions");
        if (!m.find()) {
            result.error(1, "pgbench gave no tps: " + output.strip());
            return Double.NaN;
        }
        result.detail("pgbench script (cook-equivalent transaction)", "```sql\n" + script.replace(spec.replace("'", "''"), "<the cooked job's spec, ~1 KB>") + "```");
        return Double.parseDouble(m.group(1));
    }
}
