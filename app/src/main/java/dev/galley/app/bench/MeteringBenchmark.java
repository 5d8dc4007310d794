package dev.galley.app.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Benchmark 6: the usage closer. {@code runs} finished runs of many consumers on the nodes of a few providers are
 * inserted with SQL in one transaction (the database opens a meter for each, as it does when a run starts), then
 * timed until the server's closer has written every usage record, every charge and earning and every balance.
 * Verified in SQL afterwards: one charge and one earning per record, charges sum to minus the usage, balances are
 * the sums of their ledgers.
 */
public final class MeteringBenchmark {
    public int runs;
    public int consumers;
    public int providers;
    public Duration timeout;

    /** Seeded GPU models (registry uuid, nvidia-smi name) for the GPU nodes. */
    static final String[][] GPUS = {{"6a1e5eed-0000-4000-8000-000000000105", "NVIDIA H100 80GB HBM3"},
            {"6a1e5eed-0000-4000-8000-000000000311", "NVIDIA GeForce RTX 4090"}};

    public MeteringBenchmark(Size size) {
        runs = size.pick(5_000, 100_000);
        consumers = size.pick(20, 200);
        providers = size.pick(4, 20);
        timeout = Duration.ofSeconds(size.pick(180, 1_800));
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("metering", size);
        result.metric("finished runs to meter", runs, "");
        try (BenchEnv.Target t = env.target("metering", Map.of(), false); Connection db = t.connect()) {
            List<String> consumerAccounts = new ArrayList<>();
            for (int i = 0; i < consumers; i++) consumerAccounts.add(t.account("bench-metering-consumer", "preset:compute_consumer")[0]);
            List<String> nodes = new ArrayList<>();
            for (int i = 0; i < providers; i++) {
                nodes.add(node(db, t.account("bench-metering-provider", "preset:compute_node")[0], i));
            }
            long s0 = System.nanoTime();
            db.setAutoCommit(false);
            insertRuns(db, consumerAccounts, nodes);
            db.commit(); // the closer sees them all from here
            long t0 = System.nanoTime();
            db.setAutoCommit(true);
            env.log("metering: %,d finished runs of %d consumers on %d nodes inserted in %.1f s; the closer starts now",
                    runs, consumers, providers, (t0 - s0) / 1e9);
            var cpu = t.cpuMeter();
            double elapsed = Double.NaN;
            while (System.nanoTime() - t0 < timeout.toNanos()) {
                if (t.queryLong(db, "SELECT count(*) FROM run_meters") == 0) {
                    elapsed = (System.nanoTime() - t0) / 1e9;
                    break;
                }
                ServerProcess.sleep(100);
            }
            double[] pct = cpu.stop();
            long records = t.queryLong(db, "SELECT count(*) FROM usage_records");
            if (Double.isNaN(elapsed)) {
                result.error(Math.max(1, t.queryLong(db, "SELECT count(*) FROM run_meters")),
                        "meters still open after " + timeout.toSeconds() + " s");
                elapsed = timeout.toSeconds();
            }
            env.log("metering: %,d usage records, %,d ledger rows in %.2f s", records,
                    t.queryLong(db, "SELECT count(*) FROM ledger_transactions"), elapsed);
            result.metric("usage records written", records, "");
            result.metric("time until every run is charged", elapsed, "s");
            result.atLeast("usage records closed/s (record + charge + earning + balances)", records / elapsed, "/s", 2_000);
            result.cpu("metering", pct);
            verify(t, db, records, result);
        }
        return result;
    }

    /** A provider's node; every other one has two GPUs of a seeded model. Returns its uuid. */
    String node(Connection db, String account, int i) throws Exception {
        String id = UUID.randomUUID().toString();
        try (PreparedStatement n = db.prepareStatement("""
                INSERT INTO nodes (uuid, account_uuid, name, region_code, public_host, agent_version, status, hardware, cpu_cores,
                                   ram_gb, storage_gb, last_seen_at, created_at, updated_at)
                VALUES (?::uuid, ?::uuid, ?, 'us-east-1', '10.0.0.1', 'sim-1', 'OFFLINE', '{}', 256, 2048, 20000, now(), now(), now())""")) {
            n.setString(1, id);
            n.setString(2, account);
            n.setString(3, "bench-metering-" + i);
            n.executeUpdate();
        }
        if (i % 2 == 1) {
            String[] gpu = GPUS[i / 2 % GPUS.length];
            try (PreparedStatement g = db.prepareStatement(
                    "INSERT INTO node_gpus (node_uuid, device_index, gpu_uuid, name, vram_gb) VALUES (?::uuid, ?, ?::uuid, ?, 80)")) {
                for (int d = 0; d < 2; d++) {
                    g.setString(1, id);
                    g.setInt(2, d);
                    g.setString(3, gpu[0]);
                    g.setString(4, gpu[1]);
                    g.addBatch();
                }
                g.executeBatch();
            }
        }
        return id;
    }

    /** Runs that ended in the last hour, each shorter than the metering period: one usage record each. */
    void insertRuns(Connection db, List<String> consumerAccounts, List<String> nodes) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("""
                WITH p AS (
                  SELECT i, (CAST(? AS uuid[]))[1 + i % ?] AS consumer, (CAST(? AS uuid[]))[1 + i % ?] AS node,
                         date_trunc('milliseconds', now() - make_interval(secs => 3000 + (i % 600))) AS started,
                         1 + (i * 7919) % 2900 AS len
                  FROM generate_series(1, ?) i)
                INSERT INTO job_runs (uuid, job_uuid, account_uuid, node_uuid, node_account_uuid, node_index, attempt, status, cpu_count,
                                      ram_gb, storage_gb, gpu_devices, is_active, created_at, updated_at, assigned_at, started_at, completed_at)
                SELECT gen_random_uuid(), gen_random_uuid(), p.consumer, p.node, n.account_uuid, 0, 1, 'COMPLETED', 1 + p.i % 8,
                       (p.i % 64) * 0.5, (p.i % 10) * 10,
                       CASE WHEN EXISTS (SELECT 1 FROM node_gpus g WHERE g.node_uuid = p.node) THEN '{0,1}'::int[] ELSE '{}'::int[] END,
                       false, p.started, p.started, p.started, p.started, p.started + make_interval(secs => p.len)
                FROM p JOIN nodes n ON n.uuid = p.node""")) {
            ps.setArray(1, db.createArrayOf("uuid", consumerAccounts.toArray()));
            ps.setInt(2, consumerAccounts.size());
            ps.setArray(3, db.createArrayOf("uuid", nodes.toArray()));
            ps.setInt(4, nodes.size());
            ps.setInt(5, runs);
            ps.executeUpdate();
        }
    }

    /** The invariants, in SQL. */
    void verify(BenchEnv.Target t, Connection db, long records, Result result) throws Exception {
        long charges = t.queryLong(db, "SELECT count(*) FROM ledger_transactions WHERE type = 'USAGE_CHARGE'");
        long earnings = t.queryLong(db, "SELECT count(*) FROM ledger_transactions WHERE type = 'PROVIDER_EARNING'");
        long unbalanced = t.queryLong(db, """
                SELECT count(*) FROM accounts a
                WHERE a.balance <> COALESCE((SELECT sum(amount) FROM ledger_transactions l WHERE l.account_uuid = a.uuid), 0)""");
        long sumsDiffer = t.queryLong(db, """
                SELECT count(*) FROM (SELECT (SELECT COALESCE(sum(amount), 0) FROM usage_records)
                                           + (SELECT COALESCE(sum(amount), 0) FROM ledger_transactions WHERE type = 'USAGE_CHARGE') AS d) x
                WHERE d <> 0""");
        long missing = runs - records;
        result.error(Math.abs(missing), "runs without their usage record (expected one each)");
        result.error(Math.abs(charges - records), "usage records without exactly one USAGE_CHARGE");
        result.error(Math.abs(earnings - records), "usage records without exactly one PROVIDER_EARNING");
        result.error(unbalanced, "accounts whose balance is not the sum of their ledger");
        result.error(sumsDiffer, "Σ USAGE_CHARGE ≠ −Σ usage amounts");
    }
}
