package dev.galley.app.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark 2: {@code nodes} simulated nodes (mixed GPU models, VRAM, regions) and {@code jobs} waiting jobs of
 * mixed shapes, inserted with SQL; times the server's scheduler until every job that can fit is ASSIGNED,
 * then checks in SQL that no node is over-committed and no run was placed twice.
 */
public final class PlacementBenchmark {
    public int nodes;
    public int jobs;
    public Duration timeout;
    public Duration quiet;

    static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "sa-east-1"};
    /** Seeded registry models: uuid, nvidia-smi name, VRAM GB. */
    static final String[][] MODELS = {
            {"6a1e5eed-0000-4000-8000-000000000105", "NVIDIA H100 80GB HBM3", "80"},
            {"6a1e5eed-0000-4000-8000-000000000109", "NVIDIA A100-SXM4-80GB", "80"},
            {"6a1e5eed-0000-4000-8000-000000000114", "NVIDIA L40S", "48"},
            {"6a1e5eed-0000-4000-8000-000000000311", "NVIDIA GeForce RTX 4090", "24"},
            {"6a1e5eed-0000-4000-8000-000000000123", "Tesla T4", "16"},
            {"6a1e5eed-0000-4000-8000-000000000120", "NVIDIA A10G", "24"}};
    static final int[] GPUS_PER_GPU_NODE = {2, 4, 8, 8, 4, 2};

    public PlacementBenchmark(Size size) {
        nodes = size.pick(200, 10_000);
        jobs = size.pick(2_000, 100_000);
        timeout = Duration.ofSeconds(size.pick(60, 900));
        quiet = Duration.ofSeconds(size.pick(2, 5));
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("placement", size);
        result.metric("nodes", nodes, "");
        result.metric("waiting jobs", jobs, "");
        // At the tiny size (CI) rounds of 250 jobs make the 2,000 jobs a backlog, so the pipelined rounds run and
        // the SQL invariants below check them too.
        Map<String, String> serverEnv = size == Size.tiny ? Map.of("GALLEY_SCHEDULER_ROUND_JOBS", "250") : Map.of();
        try (BenchEnv.Target t = env.target("placement", serverEnv, false); Connection db = t.connect()) {
            String[] consumer = t.account("bench-placement", "preset:compute_consumer");
            String[] owner = t.account("bench-placement-nodes", "preset:compute_node");
            // A real job, created through the API, gives the spec every inserted job is derived from.
            var template = t.ok(t.client(consumer[1]), "POST", "/v1/jobs", """
                    {"title":"template","task":"BATCH","cpu_count":1,"max_timeout_run_ms":3600000,
                     "parameters":{"type":"docker","parameters":{"image":"ghcr.io/galley/trainer","tag":"2.1","env":{"EPOCHS":"3"}}}}""", 201);
            String templateUuid = template.get("uuid").asText();
            t.ok(t.client(consumer[1]), "PUT", "/v1/jobs/" + templateUuid + "/cancel", "{\"reason\":\"template only\"}", 200);
            String spec = t.queryString(db, "SELECT spec::text FROM jobs WHERE uuid = ?::uuid", templateUuid);

            long s0 = System.nanoTime();
            int unfittable = insertJobs(t, db, consumer[0], spec);
            env.log("placement: %,d waiting jobs inserted (%,d cannot fit anywhere by construction) in %.1f s", jobs, unfittable,
                    (System.nanoTime() - s0) / 1e9);
            db.createStatement().execute("ANALYZE jobs");

            s0 = System.nanoTime();
            db.setAutoCommit(false);
            int gpus = insertNodes(db, owner[0]);
            db.createStatement().execute("SELECT pg_notify('galley_jobs', '')");
            db.commit();
            db.setAutoCommit(true);
            long t0 = System.nanoTime();
            env.log("placement: %,d ONLINE nodes with %,d GPUs inserted in %.1f s; the scheduler starts now", nodes, gpus,
                    (t0 - s0) / 1e9);

            var cpu = t.cpuMeter();
            long expected = jobs - unfittable;
            long lastChange = t0;
            long lastWaiting = -1;
            long checkedAt = -1;
            double[] pct = null;
            double elapsed = Double.NaN;
            String stuck = "";
            while (System.nanoTime() - t0 < timeout.toNanos()) {
                // From the counters the server keeps per account and status (job_counts + its pending deltas): counting
                // 100,000 wide job rows every 100 ms took ~150 ms of PostgreSQL each time, a core the server then lacked.
                // Every job here waits as PENDING until placed (no retries); the exact count is checked at the end.
                long waiting = t.queryLong(db, """
                        SELECT coalesce(sum(n), 0) FROM (
                          SELECT n FROM job_counts WHERE account_uuid = ?::uuid AND status = 'PENDING'
                          UNION ALL SELECT delta FROM job_count_deltas WHERE account_uuid = ?::uuid AND status = 'PENDING') x""",
                        consumer[0], consumer[0]);
                long now = System.nanoTime();
                if (waiting != lastWaiting) {
                    lastWaiting = waiting;
                    lastChange = now;
                    pct = cpu.stop(); // CPU shares up to the latest placement, not over the quiet tail
                }
                if (waiting <= unfittable) {
                    elapsed = (lastChange - t0) / 1e9;
                    break;
                }
                if (now - lastChange > quiet.toNanos() && checkedAt != waiting) {
                    // Nothing moves: done if none of the waiting jobs fits any node's free capacity (greedy packing
                    // may strand a few), else keep waiting.
                    checkedAt = waiting;
                    stuck = fitButWaiting(t, db, consumer[0]);
                    if (stuck.startsWith(" (0 of")) {
                        elapsed = (lastChange - t0) / 1e9;
                        break;
                    }
                }
                if (now - lastChange > Duration.ofSeconds(30).toNanos()) break; // no progress for 30 s
                ServerProcess.sleep(100);
            }
            if (pct == null) pct = cpu.stop();
            long placedJobs = t.queryLong(db, "SELECT count(*) FROM jobs WHERE account_uuid = ?::uuid AND status = 'ASSIGNED'", consumer[0]);
            long runs = t.queryLong(db, "SELECT count(*) FROM job_runs WHERE account_uuid = ?::uuid", consumer[0]);
            long stillWaiting = t.queryLong(db, "SELECT count(*) FROM jobs WHERE wants_placement AND account_uuid = ?::uuid", consumer[0]);
            if (Double.isNaN(elapsed)) {
                elapsed = (lastChange - t0) / 1e9;
                result.error(Math.max(1, stillWaiting - unfittable), "jobs waiting while some fit: no progress after "
                        + Result.fmt((System.nanoTime() - t0) / 1e9) + " s" + fitButWaiting(t, db, consumer[0]));
            } else if (stillWaiting > unfittable) {
                result.detail("jobs left waiting (no node has room for them after greedy packing)",
                        (stillWaiting - unfittable) + " job(s)" + stuck + "\n");
            }
            env.log("placement: %,d of %,d placeable jobs ASSIGNED (%,d runs) in %.2f s", placedJobs, expected, runs, elapsed);
            result.metric("jobs ASSIGNED", placedJobs, "");
            result.metric("jobs left waiting, no room anywhere", stillWaiting - unfittable, "");
            result.metric("time until every job that fits is ASSIGNED", elapsed, "s");
            result.atLeast("runs placed/s", runs / elapsed, "/s", 5_000);
            result.cpu("placement", pct);
            verify(t, db, consumer[0], result);
            result.atMost("server RSS after placement", t.serverRssMb(), "MB", 1024);
            result.metric("server peak RSS (VmHWM)", t.serverPid > 0
                    ? Proc.statusKb(t.serverPid, "VmHWM").orElse(-1) / 1024.0 : Double.NaN, "MB");
            heartbeats(env, size, t, db, owner[0], result);
        }
        return result;
    }

    /** Inserts the waiting jobs; returns how many of them fit no node by construction (16 GPUs, nodes have at most 8). */
    int insertJobs(BenchEnv.Target t, Connection db, String account, String spec) throws Exception {
        String regions = "ARRAY['" + String.join("','", REGIONS) + "']";
        StringBuilder models = new StringBuilder("ARRAY[");
        for (int i = 0; i < MODELS.length; i++) models.append(i == 0 ? "" : ",").append('\'').append(MODELS[i][0]).append('\'');
        models.append(']');
        // Shapes by i % 100: 1% unfittable, 50% CPU-only, 12% one GPU by VRAM, 8% 1-2 GPUs of a named model,
        // 29% CPU-only pinned to one region. created_at ascends with i so "oldest first" is well defined.
        String sql = """
                INSERT INTO jobs (uuid, account_uuid, status, status_reason, status_reason_code, title, task, cpu_count, gpu_count,
                                  min_ram_gb, min_vram_gb, min_storage_gb, spec, container_access_token, timeout_assign_at_ms,
                                  created_at, updated_at)
                SELECT gen_random_uuid(), ?::uuid, 'PENDING', 'waiting for a node that fits', 'WAITING_FOR_CAPACITY',
                       'placement ' || i, 'BATCH', cpu, gpu, ram, vram, storage,
                       CAST(? AS jsonb) || jsonb_build_object('title', 'placement ' || i, 'cpu_count', cpu, 'gpu_count', gpu,
                           'min_ram_gb', ram, 'min_vram_gb', vram, 'min_storage_gb', storage, 'gpu_name', NULL,
                           'gpu_registry_uuid', model, 'allowed_region_codes', to_jsonb(regions), 'max_timeout_assign_ms', 3600000),
                       md5(random()::text || i), (extract(epoch from now()) * 1000)::bigint + 3600000,
                       now() - make_interval(secs => (? - i) / 1000.0), now() - make_interval(secs => (? - i) / 1000.0)
                FROM (SELECT i,
                        CASE WHEN i % 100 < 1 THEN 4 WHEN i % 100 < 51 THEN 1 + i % 4 WHEN i % 100 < 63 THEN 4 WHEN i % 100 < 71 THEN 8 ELSE 2 END AS cpu,
                        CASE WHEN i % 100 < 1 THEN 16 WHEN i % 100 < 51 THEN 0 WHEN i % 100 < 63 THEN 1 WHEN i % 100 < 71 THEN 1 + i % 2 ELSE 0 END AS gpu,
                        CASE WHEN i % 100 < 51 THEN 2 + (i % 8) * 2 WHEN i % 100 < 63 THEN 16 WHEN i % 100 < 71 THEN 32 ELSE 8 END::float8 AS ram,
                        CASE WHEN i % 100 >= 51 AND i % 100 < 63 THEN (ARRAY[8, 16, 24])[1 + i % 3] ELSE 0 END::float8 AS vram,
                        CASE WHEN i % 100 < 51 THEN 10 + (i % 5) * 10 WHEN i % 100 < 71 THEN 100 ELSE 20 END::float8 AS storage,
                        CASE WHEN i % 100 >= 63 AND i % 100 < 71 THEN (MODELS_ARRAY)[1 + i % 6] END AS model,
                        CASE WHEN i % 100 >= 71 THEN ARRAY[(REGIONS_ARRAY)[1 + i % 6]] ELSE ARRAY[]::text[] END AS regions
                      FROM generate_series(1, ?) i) s""".replace("MODELS_ARRAY", models).replace("REGIONS_ARRAY", regions);
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setString(1, account);
            ps.setString(2, spec);
            ps.setInt(3, jobs);
            ps.setInt(4, jobs);
            ps.setInt(5, jobs);
            ps.executeUpdate();
        }
        return jobs / 100;
    }

    /** Inserts ONLINE nodes with hardware as an agent reports it, and their GPUs; returns the GPU count. */
    /**
     * Nodes heartbeat over HTTP at an agent's pace (one per 5 s), each heartbeat carrying a load sample as the agent
     * sends it: the sample is taken once a minute and repeated, so the server keeps about one heartbeat in twelve
     * (GALLEY_TELEMETRY_INTERVAL, 60 s) and drops the rest. Two shared cores do not serve 10,000 agents' 2,000
     * heartbeats/s, so {@code rate × 5 s} of the nodes heartbeat (each every 5 s, as an agent does) and the others are
     * kept ONLINE by a {@code last_seen_at} set ahead once: a node that missed its TTL would go OFFLINE, lose its runs
     * and have its jobs placed again, and the phase would measure that storm instead of heartbeats. Reports the
     * server's and PostgreSQL's CPU per heartbeat above what they use with no heartbeats (measured first).
     */
    void heartbeats(BenchEnv env, Size size, BenchEnv.Target t, Connection db, String owner, Result result) throws Exception {
        List<String> uuids = new ArrayList<>();
        try (var st = db.prepareStatement("SELECT uuid::text FROM nodes WHERE account_uuid = ?::uuid ORDER BY uuid")) {
            st.setString(1, owner);
            try (var rs = st.executeQuery()) {
                while (rs.next()) uuids.add(rs.getString(1));
            }
        }
        // A rate two shared cores sustain, so the CPU per heartbeat is the cost of one, not of a queue; capacity follows.
        double rate = Math.min(uuids.size() / 5.0, 300);
        List<String> beating = uuids.subList(0, (int) Math.min(uuids.size(), Math.round(rate * 5)));
        // Rows are locked in uuid order, as PlanApplier locks them: an unordered bulk UPDATE deadlocks with it.
        // The others stay ONLINE by the last_seen_at ahead they were inserted with; these live by their heartbeats,
        // and by this between the phases (a pause of more than the TTL would take them OFFLINE).
        String beatingArray = "{" + String.join(",", beating) + "}";
        java.util.concurrent.Callable<Integer> seenNow = () -> t.update(db, """
                UPDATE nodes SET last_seen_at = now() WHERE uuid IN (
                  SELECT uuid FROM nodes WHERE uuid = ANY(CAST(? AS uuid[])) ORDER BY uuid FOR UPDATE)""", beatingArray);
        seenNow.call();
        Duration duration = Duration.ofSeconds(size.pick(5, 30));
        java.util.function.IntFunction<Load.Request> beat = i -> {
            String node = beating.get(i % beating.size());
            // The agent's latest sample: each node samples once a minute, at a phase of its own (4 GPUs: the size of
            // a typical sample of the mix, about 1 KiB).
            long phase = Math.floorMod(node.hashCode(), 60_000);
            long sampledAt = (System.currentTimeMillis() - phase) / 60_000 * 60_000 + phase;
            StringBuilder gpus = new StringBuilder();
            for (int g = 0; g < 4; g++) {
                if (g > 0) gpus.append(',');
                gpus.append("{\"index\":").append(g).append(",\"name\":\"NVIDIA H100 80GB HBM3\",\"utilization_percent\":87,")
                        .append("\"vram_used_gb\":61.2,\"vram_total_gb\":79.65,\"temperature_c\":64,\"power_w\":512.5}");
            }
            String body = "{\"metadata\":{\"hardware_event\":{\"timestamp_ms\":" + Math.min(sampledAt, System.currentTimeMillis())
                    + ",\"cpu_percent\":42.5,\"cpu_cores\":64,\"ram_used_gb\":120.4,\"ram_total_gb\":503.2,"
                    + "\"disk_used_gb\":812.3,\"disk_total_gb\":3725.3,\"gpus\":[" + gpus + "]}},\"active_run_uuids\":[]}";
            return Load.Request.of("POST", "/v1/nodes/" + node + "/heartbeat", body);
        };
        // The same heartbeats without a sample: what telemetry adds is the difference, under the same conditions.
        java.util.function.IntFunction<Load.Request> bare = i ->
                Load.Request.of("POST", "/v1/nodes/" + beating.get(i % beating.size()) + "/heartbeat", "{\"active_run_uuids\":[]}");
        // Warm both heartbeat paths until the server's JIT is quiet: compiling them during a measured phase was seen
        // to double that phase's server CPU. Slices alternate with and without a sample; every beating node beats in
        // each slice and stores its first sample.
        boolean[] withSample = {true};
        double warmed = JitWarmup.run(env, t.serverPid, Duration.ofSeconds(size.pick(5, 10)), Duration.ofSeconds(size.pick(5, 90)), d -> {
            Load.openLoop(t.operator, withSample[0] ? beat : bare, 200, rate, d, 1000, r -> { });
            withSample[0] = !withSample[0];
        });
        result.metric("heartbeat warm-up, until the server's JIT is quiet", warmed, "s");
        // What the server and PostgreSQL use with no heartbeats at all (the scheduler, reaper, reputation and metering
        // loops over 10,000 nodes and ~100,000 runs): subtracted below, so the CPU per heartbeat is what one adds.
        var idleCpu = t.cpuMeter();
        ServerProcess.sleep(size.pick(3_000, 10_000));
        double[] idle = idleCpu.stop();
        seenNow.call();
        result.metric("idle CPU server, no heartbeats", idle[1], "%");
        result.metric("idle CPU PostgreSQL, no heartbeats", idle[2], "%");
        long eventsBefore = t.queryLong(db, "SELECT count(*) FROM node_hardware_events e JOIN nodes n ON n.uuid = e.node_uuid"
                + " WHERE n.account_uuid = ?::uuid", owner);
        var cpu = t.cpuMeter();
        Load.Outcome o = Load.openLoop(t.operator, beat, 200, rate, duration, 1000, r -> { });
        double[] pct = cpu.stop();
        long events = t.queryLong(db, "SELECT count(*) FROM node_hardware_events e JOIN nodes n ON n.uuid = e.node_uuid"
                + " WHERE n.account_uuid = ?::uuid", owner) - eventsBefore;
        env.log("heartbeats: %,d in %.1f s (%.0f/s) from %,d nodes, %,d hardware events stored; %s", o.ok(), o.seconds(),
                o.throughput(), uuids.size(), events, o.latency());
        result.error(o.errors(), "failed heartbeats, e.g. " + o.errorSamples());
        result.metric("heartbeats with telemetry/s (" + beating.size() + " of " + uuids.size() + " nodes beating, sent at "
                + Math.round(rate) + "/s)", o.throughput(), "/s");
        result.metric("hardware events stored during the heartbeats", events, "");
        result.latency("heartbeat", o.latency(), 100);
        result.cpu("heartbeats", pct);
        double serverCpuMs = cpuMsPerRequest(pct[1] - idle[1], o);
        double postgresCpuMs = cpuMsPerRequest(pct[2] - idle[2], o);
        result.metric("server CPU per heartbeat with telemetry", serverCpuMs, "ms");
        result.metric("PostgreSQL CPU per heartbeat with telemetry", postgresCpuMs, "ms");
        seenNow.call();
        var bareCpu = t.cpuMeter();
        Load.Outcome b = Load.openLoop(t.operator, bare, 200, rate, duration, 1000, r -> { });
        double[] barePct = bareCpu.stop();
        result.error(b.errors(), "failed heartbeats without telemetry, e.g. " + b.errorSamples());
        result.metric("server CPU per heartbeat without telemetry", cpuMsPerRequest(barePct[1] - idle[1], b), "ms");
        result.metric("PostgreSQL CPU per heartbeat without telemetry", cpuMsPerRequest(barePct[2] - idle[2], b), "ms");
        result.latency("heartbeat without telemetry", b.latency(), Double.NaN);
        // Two cores' worth of heartbeats, server and PostgreSQL together, at one heartbeat per node every 5 s.
        result.metric("nodes two cores serve at one heartbeat per 5 s", 2000.0 * 5 / Math.max(0.001, serverCpuMs + postgresCpuMs), "");
    }

    /** CPU milliseconds per answered request, from a CPU share (% of one core) over the phase. */
    private static double cpuMsPerRequest(double pct, Load.Outcome o) {
        return Math.max(0, pct) / 100.0 * o.seconds() * 1000.0 / Math.max(1, o.ok());
    }

    int insertNodes(Connection db, String account) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        int gpuTotal = 0;
        try (PreparedStatement n = db.prepareStatement("""
                INSERT INTO nodes (uuid, account_uuid, name, region_code, public_host, agent_version, status, hardware, cpu_cores,
                                   ram_gb, storage_gb, last_seen_at, created_at, updated_at)
                VALUES (?, ?::uuid, ?, ?, ?, 'sim-1', 'ONLINE', CAST(? AS jsonb), ?, ?, ?, ?, ?, ?)""");
             PreparedStatement g = db.prepareStatement("INSERT INTO node_gpus (node_uuid, device_index, gpu_uuid, name, vram_gb) VALUES (?, ?, ?::uuid, ?, ?)")) {
            for (int i = 0; i < nodes; i++) {
                UUID id = UUID.randomUUID();
                int cores = 32 + 16 * (i / 6 % 3);
                double ram = 256 + 128 * (i / 18 % 4);
                double storage = 2000;
                boolean gpuNode = i % 10 >= 4;
                String[] model = MODELS[(i / 10) % MODELS.length];
                int count = gpuNode ? GPUS_PER_GPU_NODE[i % 10 - 4] : 0;
                ObjectNode hw = BenchEnv.JSON.createObjectNode();
                hw.putArray("cpus").addObject().put("name", "Sim CPU").put("num_cores", cores);
                hw.putArray("rams").addObject().put("memory_gb_max", ram).put("memory_gb_available", ram);
                hw.putArray("hard_drives").addObject().put("name", "/").put("max_capacity_gb", storage).put("available_capacity_gb", storage);
                var ga = hw.putArray("gpus");
                for (int d = 0; d < count; d++) ga.addObject().put("name", model[1]).put("vram_gb_max", Double.parseDouble(model[2]));
                n.setObject(1, id);
                n.setString(2, account);
                n.setString(3, "sim-" + i);
                n.setString(4, REGIONS[i % REGIONS.length]);
                n.setString(5, "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256));
                n.setString(6, hw.toString());
                n.setInt(7, cores);
                n.setDouble(8, ram);
                n.setDouble(9, storage);
                // Seen half an hour ahead: the simulated nodes send no heartbeats while jobs are placed (keeping 10,000
                // rows alive with UPDATEs every few seconds competed with the applier for the same row locks), and a
                // node past its TTL would go OFFLINE and lose its runs. The heartbeat phase measures real heartbeats.
                n.setTimestamp(10, Timestamp.from(now.toInstant().plus(Duration.ofMinutes(30))));
                n.setTimestamp(11, now);
                n.setTimestamp(12, now);
                n.addBatch();
                for (int d = 0; d < count; d++) {
                    g.setObject(1, id);
                    g.setInt(2, d);
                    g.setString(3, model[0]);
                    g.setString(4, model[1]);
                    g.setDouble(5, Double.parseDouble(model[2]));
                    g.addBatch();
                    gpuTotal++;
                }
                if (i % 1000 == 999) {
                    n.executeBatch();
                    g.executeBatch();
                }
            }
            n.executeBatch();
            g.executeBatch();
        }
        return gpuTotal;
    }

    /** For a sample of jobs still waiting (excluding the unfittable shape): how many would fit some node's free capacity. */
    String fitButWaiting(BenchEnv.Target t, Connection db, String account) {
        try {
            long fit = t.queryLong(db, """
                    WITH held AS (SELECT node_uuid, sum(cpu_count) AS cpu, sum(ram_gb) AS ram, sum(storage_gb) AS st
                                  FROM job_runs WHERE is_active GROUP BY node_uuid),
                         sample AS (SELECT * FROM jobs WHERE account_uuid = ?::uuid AND wants_placement AND gpu_count <= 8 LIMIT 200)
                    SELECT count(*) FROM sample j WHERE EXISTS (
                      SELECT 1 FROM nodes n LEFT JOIN held h ON h.node_uuid = n.uuid
                      WHERE n.status = 'ONLINE' AND n.cpu_cores - coalesce(h.cpu, 0) >= j.cpu_count
                        AND n.ram_gb - coalesce(h.ram, 0) >= j.min_ram_gb AND n.storage_gb - coalesce(h.st, 0) >= j.min_storage_gb
                        AND (jsonb_array_length(j.spec -> 'allowed_region_codes') = 0 OR j.spec -> 'allowed_region_codes' @> to_jsonb(n.region_code))
                        AND (j.gpu_count = 0 OR (SELECT count(*) FROM node_gpus g WHERE g.node_uuid = n.uuid AND g.vram_gb >= j.min_vram_gb
                              AND (j.spec ->> 'gpu_registry_uuid' IS NULL OR g.gpu_uuid = (j.spec ->> 'gpu_registry_uuid')::uuid)
                              AND NOT EXISTS (SELECT 1 FROM job_runs r WHERE r.is_active AND r.node_uuid = g.node_uuid
                                              AND g.device_index = ANY (r.gpu_devices))) >= j.gpu_count))""", account);
            String reasons = t.queryString(db, """
                    SELECT string_agg(n || ' × ' || r, '; ') FROM (
                      SELECT count(*) AS n, 'gpu_count ' || gpu_count || ', cpu ' || cpu_count || ', regions ' || (spec -> 'allowed_region_codes')
                             || ': ' || coalesce(status_reason, '?') AS r
                      FROM jobs WHERE account_uuid = ?::uuid AND wants_placement AND gpu_count <= 8 GROUP BY 2 ORDER BY 1 DESC LIMIT 5) x""", account);
            return " (" + fit + " of up to 200 sampled waiting jobs fit some node's free capacity now; waiting: " + reasons + ")";
        } catch (Exception e) {
            return " (fit check failed: " + e.getMessage() + ")";
        }
    }

    /** The invariants, in SQL: no node over-committed, no GPU given twice, no run placed twice, placements honour the spec. */
    void verify(BenchEnv.Target t, Connection db, String account, Result result) throws Exception {
        long overCommitted = t.queryLong(db, """
                SELECT count(*) FROM nodes n JOIN (SELECT node_uuid, sum(cpu_count) AS c, sum(ram_gb) AS r, sum(storage_gb) AS s
                                                   FROM job_runs WHERE is_active GROUP BY node_uuid) x ON x.node_uuid = n.uuid
                WHERE x.c > n.cpu_cores OR x.r > n.ram_gb + 1e-6 OR x.s > n.storage_gb + 1e-6""");
        long gpuTwice = t.queryLong(db, """
                SELECT count(*) FROM (SELECT r.node_uuid, d FROM job_runs r, unnest(r.gpu_devices) d WHERE r.is_active
                                      GROUP BY r.node_uuid, d HAVING count(*) > 1) x""");
        long gpuMissing = t.queryLong(db, """
                SELECT count(*) FROM job_runs r, unnest(r.gpu_devices) d WHERE r.is_active
                  AND NOT EXISTS (SELECT 1 FROM node_gpus g WHERE g.node_uuid = r.node_uuid AND g.device_index = d)""");
        long placedTwice = t.queryLong(db, """
                SELECT count(*) FROM (SELECT job_uuid, node_index FROM job_runs WHERE account_uuid = ?::uuid
                                      GROUP BY job_uuid, node_index HAVING count(*) > 1) x""", account);
        long wrongRuns = t.queryLong(db, """
                SELECT count(*) FROM jobs j WHERE j.account_uuid = ?::uuid AND j.status = 'ASSIGNED'
                  AND (SELECT count(*) FROM job_runs r WHERE r.job_uuid = j.uuid AND r.is_active) <> coalesce(j.node_count, -1)""", account);
        long badShape = t.queryLong(db, """
                SELECT count(*) FROM job_runs r JOIN jobs j ON j.uuid = r.job_uuid JOIN nodes n ON n.uuid = r.node_uuid
                WHERE r.account_uuid = ?::uuid AND (
                      coalesce(cardinality(r.gpu_devices), 0) <> j.gpu_count
                   OR (jsonb_array_length(j.spec -> 'allowed_region_codes') > 0 AND NOT j.spec -> 'allowed_region_codes' @> to_jsonb(n.region_code))
                   OR EXISTS (SELECT 1 FROM node_gpus g WHERE g.node_uuid = r.node_uuid AND g.device_index = ANY (r.gpu_devices)
                              AND (g.vram_gb < j.min_vram_gb
                                   OR (j.spec ->> 'gpu_registry_uuid' IS NOT NULL AND g.gpu_uuid <> (j.spec ->> 'gpu_registry_uuid')::uuid))))""", account);
        result.metric("over-committed nodes", overCommitted, "");
        result.metric("runs placed twice", placedTwice, "");
        result.error(overCommitted, "over-committed nodes (CPU, RAM or storage)");
        result.error(gpuTwice, "GPUs held by two active runs");
        result.error(gpuMissing, "runs holding a GPU index the node does not have");
        result.error(placedTwice, "job slots placed twice");
        result.error(wrongRuns, "ASSIGNED jobs whose active run count differs from node_count");
        result.error(badShape, "runs on a node that does not match the job (GPU count, model, VRAM or region)");
    }
}
