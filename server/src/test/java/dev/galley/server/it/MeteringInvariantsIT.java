package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.galley.core.billing.Metering;
import dev.galley.core.billing.PlatformFee;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Exactly once under concurrency and crashes (spec §9): thousands of runs (finished, lost, still running) are metered by
 * two replicas on one database at once; one replica has its database connections cut mid-batch again and again and is
 * then shut down. Afterwards, in SQL: every usage record has exactly one charge and one earning, charges sum to minus
 * the usage, each earning is the charge less the fee, every balance is the sum of its ledger with an unbroken
 * balance_after chain, and every run's records tile exactly the time it may be charged for.
 */
class MeteringInvariantsIT {
    static final int FINISHED = 5_000;
    static final int RUNNING = 300;
    static final long TTL_MS = 30_000;
    static final Duration PERIOD = Duration.ofHours(1);

    @Test
    void twoReplicasOneCutOffAndKilledMidWayChargeEveryRecordExactlyOnce() throws Exception {
        String db = TestDatabase.fresh();
        GalleyServer a = TestServer.start(db + "&ApplicationName=replica-a", TTL_MS, c -> c.withRateLimitRps(0));
        GalleyServer b = TestServer.start(db + "&ApplicationName=replica-b", TTL_MS, c -> c.withRateLimitRps(0));
        try (Connection sql = DriverManager.getConnection(db)) {
            List<UUID> consumers = new ArrayList<>();
            for (int i = 0; i < 6; i++) consumers.add(TestServer.newTenant(a, List.of("preset:compute_consumer")).accountUuid());
            List<UUID> providers = new ArrayList<>();
            for (int i = 0; i < 3; i++) providers.add(TestServer.newTenant(a, List.of("preset:compute_consumer")).accountUuid());
            Instant inserted = insertRuns(sql, consumers, providers);

            // Replica A is cut off from the database mid-batch, repeatedly, then shut down; B carries on alone.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> count(sql, "SELECT count(*) FROM usage_records") > 0);
            long recordsAtKill = count(sql, "SELECT count(*) FROM usage_records");
            for (int i = 0; i < 10; i++) {
                count(sql, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'replica-a'");
                await().pollDelay(Duration.ofMillis(150)).until(() -> true);
            }
            a.close();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> count(sql, """
                    SELECT count(*) FROM run_meters m JOIN job_runs r ON r.uuid = m.job_run_uuid
                    WHERE NOT r.is_active OR m.metered_until + interval '1 hour' <= now()""") == 0);
            long records = count(sql, "SELECT count(*) FROM usage_records");
            assertThat(recordsAtKill).as("replica A was cut off while work remained").isLessThan(records);

            assertOneChargeAndOneEarningPerRecord(sql);
            assertBalancesAreTheirLedgers(sql);
            assertRunsAreTiledExactly(sql, inserted);
        } finally {
            a.close();
            b.close();
        }
    }

    /**
     * A crash at the worst moment, made deterministic: every batch fails at its last statements (advancing or deleting
     * the meters), after its usage records and ledger rows were written. Nothing of it may remain; once the fault is gone the same
     * work is done again, exactly once.
     */
    @Test
    void aBatchThatFailsAtItsLastStatementLeavesNothingBehindAndIsDoneAgain() throws Exception {
        String db = TestDatabase.fresh();
        GalleyServer server = TestServer.start(db, TTL_MS, c -> c.withRateLimitRps(0));
        try (Connection sql = DriverManager.getConnection(db)) {
            try (var st = sql.createStatement()) {
                st.execute("""
                        CREATE FUNCTION test_injected_crash() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN RAISE EXCEPTION 'injected crash before commit'; END $$;
                        CREATE TRIGGER test_injected_crash BEFORE UPDATE OR DELETE ON run_meters FOR EACH ROW EXECUTE FUNCTION test_injected_crash();""");
            }
            List<UUID> consumers = new ArrayList<>();
            for (int i = 0; i < 6; i++) consumers.add(TestServer.newTenant(server, List.of("preset:compute_consumer")).accountUuid());
            List<UUID> providers = new ArrayList<>();
            for (int i = 0; i < 3; i++) providers.add(TestServer.newTenant(server, List.of("preset:compute_consumer")).accountUuid());
            Instant inserted = insertRuns(sql, consumers, providers);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> meteringErrors(server) >= 3);
            assertThat(count(sql, "SELECT count(*) FROM usage_records")).as("rolled back: no record").isZero();
            assertThat(count(sql, "SELECT count(*) FROM ledger_transactions WHERE usage_record_uuid IS NOT NULL")).as("no charge").isZero();
            assertThat(count(sql, "SELECT count(*) FROM accounts WHERE balance <> 0")).as("no balance moved").isZero();

            try (var st = sql.createStatement()) {
                st.execute("DROP TRIGGER test_injected_crash ON run_meters");
            }
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> count(sql, """
                    SELECT count(*) FROM run_meters m JOIN job_runs r ON r.uuid = m.job_run_uuid
                    WHERE NOT r.is_active OR m.metered_until + interval '1 hour' <= now()""") == 0);
            assertOneChargeAndOneEarningPerRecord(sql);
            assertBalancesAreTheirLedgers(sql);
            assertRunsAreTiledExactly(sql, inserted);
        } finally {
            server.close();
        }
    }

    static double meteringErrors(GalleyServer server) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith("galley_metering_errors_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Nodes of the providers (one with H100s, one with 4090s, one lost two hours ago) and runs on them, in one transaction. */
    static Instant insertRuns(Connection sql, List<UUID> consumers, List<UUID> providers) throws Exception {
        sql.setAutoCommit(false);
        UUID cpuNode = node(sql, providers.get(0), "ONLINE", "now() + interval '1 day'");
        UUID h100Node = node(sql, providers.get(1), "ONLINE", "now() + interval '1 day'");
        UUID rtxNode = node(sql, providers.get(2), "ONLINE", "now() + interval '1 day'");
        UUID lostNode = node(sql, providers.get(0), "OFFLINE", "date_trunc('milliseconds', now() - interval '150 minutes')");
        try (var st = sql.createStatement()) {
            st.execute("INSERT INTO node_gpus VALUES ('%s', 0, '6a1e5eed-0000-4000-8000-000000000105', 'NVIDIA H100 80GB HBM3', 80),"
                    .formatted(h100Node) + "('%s', 1, '6a1e5eed-0000-4000-8000-000000000105', 'NVIDIA H100 80GB HBM3', 80),".formatted(h100Node)
                    + "('%s', 0, '6a1e5eed-0000-4000-8000-000000000311', 'NVIDIA GeForce RTX 4090', 24)".formatted(rtxNode));
            st.execute("SELECT setseed(0.20260501)");
        }
        String consumerArray = "ARRAY['" + String.join("','", consumers.stream().map(UUID::toString).toList()) + "']::uuid[]";
        String nodeArray = "ARRAY['%s','%s','%s','%s']::uuid[]".formatted(cpuNode, h100Node, rtxNode, lostNode);
        try (var st = sql.createStatement()) {
            // Finished runs: started 1-4 h ago, ran 0-3 h (not past now); the lost node's runs failed NODE_LOST.
            st.execute("""
                    WITH p AS (
                      SELECT i, (%s)[1 + i %% 6] AS consumer, (%s)[1 + (i * 7) %% 4] AS node,
                             date_trunc('milliseconds', now() - make_interval(secs => 3600 + random() * 10800)) AS started,
                             random() * 10800 AS len, 1 + i %% 8 AS cpu, round((random() * 32)::numeric, 1)::float8 AS ram,
                             (i %% 5) * 20.5 AS storage
                      FROM generate_series(1, %d) i)
                    INSERT INTO job_runs (uuid, job_uuid, account_uuid, node_uuid, node_account_uuid, node_index, attempt, status,
                                          status_reason_code, cpu_count, ram_gb, storage_gb, gpu_devices, is_active, created_at, updated_at,
                                          assigned_at, started_at, completed_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), p.consumer, p.node, n.account_uuid, 0, 1,
                           CASE WHEN n.status = 'OFFLINE' THEN 'FAILED' ELSE 'COMPLETED' END,
                           CASE WHEN n.status = 'OFFLINE' THEN 'NODE_LOST' END, p.cpu, p.ram, p.storage,
                           CASE WHEN p.node = '%s' THEN (CASE WHEN p.i %% 2 = 0 THEN '{0,1}' ELSE '{1}' END)::int[]
                                WHEN p.node = '%s' THEN '{0}'::int[] ELSE '{}'::int[] END,
                           false, p.started, p.started, p.started, p.started,
                           LEAST(date_trunc('milliseconds', p.started + make_interval(secs => p.len)), date_trunc('milliseconds', now()))
                    FROM p JOIN nodes n ON n.uuid = p.node""".formatted(consumerArray, nodeArray, FINISHED, h100Node, rtxNode));
            // Still running: started 0.5-3 h ago on a live node.
            st.execute("""
                    INSERT INTO job_runs (uuid, job_uuid, account_uuid, node_uuid, node_account_uuid, node_index, attempt, status,
                                          cpu_count, ram_gb, storage_gb, is_active, created_at, updated_at, assigned_at, started_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), (%s)[1 + i %% 6], '%s', '%s', 0, 1, 'RUNNING', 2, 4, 10, true,
                           s, s, s, s
                    FROM (SELECT i, date_trunc('milliseconds', now() - make_interval(secs => 1800 + random() * 9000)) AS s
                          FROM generate_series(1, %d) i) x""".formatted(consumerArray, cpuNode, providers.get(0), RUNNING));
        }
        Instant at;
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery("SELECT now()")) {
            rs.next();
            at = rs.getTimestamp(1).toInstant();
        }
        // Counted before the commit: from then on the closers delete the meters of runs they have fully metered.
        assertThat(count(sql, "SELECT count(*) FROM run_meters")).as("the trigger opened a meter per started run").isEqualTo(FINISHED + RUNNING);
        sql.commit();
        sql.setAutoCommit(true);
        return at;
    }

    static UUID node(Connection sql, UUID account, String status, String lastSeen) throws Exception {
        UUID id = UUID.randomUUID();
        try (var st = sql.createStatement()) {
            st.execute("""
                    INSERT INTO nodes (uuid, account_uuid, name, region_code, public_host, agent_version, status, hardware, cpu_cores,
                                       ram_gb, storage_gb, last_seen_at, created_at, updated_at)
                    VALUES ('%s', '%s', 'sim-%s', 'us-east-1', '10.0.0.1', 'sim-1', '%s', '{}', 512, 4096, 100000, %s, now(), now())"""
                    .formatted(id, account, id, status, lastSeen));
        }
        return id;
    }

    static void assertOneChargeAndOneEarningPerRecord(Connection sql) throws Exception {
        assertThat(count(sql, """
                SELECT count(*) FROM usage_records u
                WHERE (SELECT count(*) FROM ledger_transactions l WHERE l.usage_record_uuid = u.uuid AND l.type = 'USAGE_CHARGE') <> 1
                   OR (SELECT count(*) FROM ledger_transactions l WHERE l.usage_record_uuid = u.uuid AND l.type = 'PROVIDER_EARNING') <> 1"""))
                .as("records without exactly one charge and one earning").isZero();
        assertThat(count(sql, "SELECT count(*) FROM ledger_transactions WHERE usage_record_uuid IS NOT NULL")).isEqualTo(
                2 * count(sql, "SELECT count(*) FROM usage_records"));
        assertThat(count(sql, "SELECT count(*) FROM (SELECT 1 FROM usage_records GROUP BY job_run_uuid, period_start HAVING count(*) > 1) x"))
                .as("a period recorded twice").isZero();
        BigDecimal usage = decimal(sql, "SELECT COALESCE(sum(amount), 0) FROM usage_records");
        BigDecimal charges = decimal(sql, "SELECT COALESCE(sum(amount), 0) FROM ledger_transactions WHERE type = 'USAGE_CHARGE'");
        assertThat(usage.signum()).isPositive();
        assertThat(charges).as("Σ USAGE_CHARGE = −Σ usage amounts").isEqualByComparingTo(usage.negate());
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT u.amount, l.amount, l.account_uuid = u.provider_account_uuid FROM usage_records u
                JOIN ledger_transactions l ON l.usage_record_uuid = u.uuid AND l.type = 'PROVIDER_EARNING'""")) {
            int n = 0;
            while (rs.next()) {
                assertThat(rs.getBigDecimal(2)).isEqualByComparingTo(PlatformFee.DEFAULT.split(rs.getBigDecimal(1)).earning());
                assertThat(rs.getBoolean(3)).as("the node's provider earns").isTrue();
                n++;
            }
            assertThat(n).isEqualTo(count(sql, "SELECT count(*) FROM usage_records"));
        }
    }

    static void assertBalancesAreTheirLedgers(Connection sql) throws Exception {
        assertThat(count(sql, """
                SELECT count(*) FROM accounts a
                WHERE a.balance <> COALESCE((SELECT sum(amount) FROM ledger_transactions l WHERE l.account_uuid = a.uuid), 0)"""))
                .as("balances that are not the sum of their ledger").isZero();
        assertThat(count(sql, """
                SELECT count(*) FROM (
                  SELECT balance_after, amount, lag(balance_after, 1, 0::numeric) OVER (PARTITION BY account_uuid ORDER BY entry_seq) AS before
                  FROM ledger_transactions) x
                WHERE balance_after <> before + amount""")).as("breaks in the balance_after chain").isZero();
    }

    /** Each run's records, in order, are contiguous from its start and add up to exactly its chargeable time. */
    static void assertRunsAreTiledExactly(Connection sql, Instant inserted) throws Exception {
        record Period(Instant start, Instant end, long seconds, BigDecimal amount, BigDecimal price) {}
        Map<UUID, List<Period>> byRun = new HashMap<>();
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT job_run_uuid, period_start, period_end, seconds, amount, price_per_hour FROM usage_records ORDER BY period_start")) {
            while (rs.next()) {
                byRun.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new Period(
                        rs.getTimestamp(2).toInstant(), rs.getTimestamp(3).toInstant(), rs.getLong(4), rs.getBigDecimal(5), rs.getBigDecimal(6)));
            }
        }
        int runs = 0;
        int lost = 0;
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT r.uuid, r.started_at, r.completed_at, r.is_active, r.status_reason_code = 'NODE_LOST', n.last_seen_at
                FROM job_runs r JOIN nodes n ON n.uuid = r.node_uuid""")) {
            while (rs.next()) {
                runs++;
                Instant start = rs.getTimestamp(2).toInstant();
                boolean active = rs.getBoolean(4);
                boolean nodeLost = rs.getBoolean(5);
                Instant end = active ? null : rs.getTimestamp(3).toInstant();
                if (nodeLost) {
                    lost++;
                    end = Metering.nodeLostEnd(end, rs.getTimestamp(6).toInstant(), Duration.ofMillis(TTL_MS));
                    if (end.isBefore(start)) end = start;
                }
                List<Period> periods = byRun.getOrDefault(rs.getObject(1, UUID.class), List.of());
                Instant cursor = start;
                long seconds = 0;
                for (Period p : periods) {
                    assertThat(p.start()).as("contiguous, no overlap").isEqualTo(cursor);
                    assertThat(p.amount()).isEqualByComparingTo(Metering.amount(p.seconds(), p.price()));
                    cursor = p.end();
                    seconds += p.seconds();
                }
                if (active) {
                    assertThat(periods).as("only full periods while running").allSatisfy(p -> assertThat(p.seconds()).isEqualTo(3600));
                    long due = Duration.between(start, inserted).toMillis() / PERIOD.toMillis();
                    assertThat((long) periods.size()).as("every cut due is charged").isGreaterThanOrEqualTo(due);
                } else {
                    assertThat(cursor).as("charged to its end").isEqualTo(end);
                    assertThat(seconds).isEqualTo(Metering.billableSeconds(Duration.between(start, end)));
                }
            }
        }
        assertThat(runs).isEqualTo(FINISHED + RUNNING);
        assertThat(lost).isGreaterThan(FINISHED / 5);
    }

    static long count(Connection sql, String query) throws Exception {
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static BigDecimal decimal(Connection sql, String query) throws Exception {
        try (var st = sql.createStatement(); ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getBigDecimal(1);
        }
    }
}
