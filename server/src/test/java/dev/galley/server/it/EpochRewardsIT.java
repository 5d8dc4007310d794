package dev.galley.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.core.providers.Epoch;
import dev.galley.core.providers.EpochSchedule;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Compute epochs and rewards over HTTP (spec §10), on two server replicas sharing a database of their own, with
 * 10-second epochs, a 1-second settle time and reward rates 1000 times the defaults (6000, 10000, 2000), so the
 * six decimals show the formula's digits.
 *
 * <p>The server's clock cannot be steered from a test, and real time makes hours that differ by a millisecond
 * from run to run. So the test lets the server record a node's history through the real protocol (registration,
 * a run PREPARING then RUNNING then COMPLETED, silence then OFFLINE), checks what was recorded, and then moves
 * that history (the status spans and the run's phase times) onto known instants of an epoch that has not ended yet:
 * what is computed from them is then exact.
 */
class EpochRewardsIT {
    static final Duration LENGTH = Duration.ofSeconds(10);
    static final EpochSchedule SCHEDULE = EpochSchedule.ofLength(LENGTH);
    static String db;
    static GalleyServer server;
    static GalleyServer replica;
    static Tenant provider;
    static Tenant consumer;
    static Tenant stranger;
    static GalleyClient operator;

    @BeforeAll
    static void start() {
        db = TestDatabase.fresh();
        server = startReplica();
        replica = startReplica();
        provider = TestServer.newTenant(server, List.of("preset:compute_consumer", "nodes.read.own", "epochs.read.own"));
        consumer = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        stranger = TestServer.newTenant(server, List.of("preset:compute_consumer", "nodes.read.own", "epochs.read.own"));
        operator = TestServer.client(server, TestServer.OPERATOR_KEY);
    }

    static GalleyServer startReplica() {
        return TestServer.start(db, 2_000, c -> c.withProviders(dev.galley.server.config.ProviderSettings.fromEnvironment(Map.of(
                "GALLEY_EPOCH_LENGTH", "PT10S", "GALLEY_EPOCH_SETTLE", "PT1S", "GALLEY_REWARD_AVAILABILITY", "6000",
                "GALLEY_REWARD_EXECUTION", "10000", "GALLEY_REWARD_PREPARATION", "2000"), 2_000)));
    }

    @AfterAll
    static void stop() {
        replica.close();
        server.close();
    }

    @Test
    void anEpochIsFinalizedOnceWithTheFormulasRewardsAndOnePayoutPerProvider() throws Exception {
        SimulatedNode gpuNode = SimulatedNode.register(SimulatedNode.nodeKey(server, provider), "rtx5090", "eu-west-1", 8, 32, 200,
                List.<String[]>of(new String[] {"NVIDIA GeForce RTX 5090", "32"})).keepAlive();
        SimulatedNode cpuNode = SimulatedNode.register(SimulatedNode.nodeKey(server, provider), "cpu-only", "eu-west-2", 8, 32, 200,
                SimulatedNode.noGpus()).keepAlive();
        SimulatedNode strangers = SimulatedNode.register(SimulatedNode.nodeKey(server, stranger), "theirs", "eu-west-3", 8, 32, 200,
                SimulatedNode.noGpus());

        // The real protocol: a run on the GPU node, then every node falls silent and goes OFFLINE.
        consumer.ok("POST", "/v1/jobs", """
                {"title":"reward","task":"BATCH","cpu_count":1,"max_timeout_run_ms":600000,"allowed_region_codes":["eu-west-1"],
                 "parameters":{"parameters":{"image":"busybox"}}}""", 201);
        gpuNode.runToExit(gpuNode.next(10_000), 0);
        gpuNode.fallSilent();
        cpuNode.fallSilent();
        String run;
        for (SimulatedNode n : List.of(gpuNode, cpuNode, strangers)) {
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    ok(TestServer.call(operator, "GET", "/v1/nodes/" + n.uuid, null), 200).get("status").asText().equals("OFFLINE"));
        }
        try (Connection c = DriverManager.getConnection(db)) {
            run = one(c, "SELECT uuid::text FROM job_runs WHERE node_uuid = ?::uuid", gpuNode.uuid);
            // What the server recorded: ONLINE from registration to the last heartbeat, OFFLINE from then on;
            // the run PREPARING before RUNNING before its end.
            List<String[]> spans = rows(c, """
                    SELECT s.status, (s.started_at = n.last_seen_at)::text, (s.ended_at IS NULL)::text,
                           (s.ended_at = n.last_seen_at)::text
                    FROM node_status_spans s JOIN nodes n ON n.uuid = s.node_uuid WHERE s.node_uuid = ?::uuid ORDER BY s.started_at""",
                    gpuNode.uuid);
            assertThat(spans).extracting(r -> r[0]).containsExactly("ONLINE", "OFFLINE");
            assertThat(spans.get(0)[3]).as("ONLINE ends at the last heartbeat").isEqualTo("true");
            assertThat(spans.get(1)[1]).as("OFFLINE starts at the last heartbeat").isEqualTo("true");
            assertThat(spans.get(1)[2]).as("and is still open").isEqualTo("true");
            assertThat(one(c, "SELECT (preparing_at < started_at AND started_at < completed_at)::text FROM job_runs WHERE uuid = ?::uuid", run))
                    .isEqualTo("true");
        }

        // Move that history onto known instants of the next epoch (at least 3 s away, so it has not begun).
        Epoch epoch = SCHEDULE.following(SCHEDULE.epochAt(Instant.now().plusSeconds(3)));
        Instant s = epoch.startsAt();
        try (Connection c = DriverManager.getConnection(db)) {
            // GPU node: ONLINE 7.5 s of the 10, preparing 0.5 s, running 2.5 s.
            history(c, gpuNode.uuid, s, s.plusMillis(7_500));
            update(c, "UPDATE job_runs SET preparing_at = ?, started_at = ?, completed_at = ? WHERE uuid = ?::uuid",
                    Timestamp.from(s.plusMillis(1_000)), Timestamp.from(s.plusMillis(1_500)), Timestamp.from(s.plusMillis(4_000)), run);
            // CPU node: ONLINE half the epoch.
            history(c, cpuNode.uuid, s, s.plusMillis(5_000));
            history(c, strangers.uuid, s, s.plusMillis(10_000));
        }

        // A replica in the middle of finalizing holds the epoch's row; then it dies (its transaction rolls back).
        await().atMost(Duration.ofSeconds(20)).until(() ->
                TestServer.call(operator, "GET", "/v1/compute/epochs/" + epoch.uuid(), null).status() == 200);
        JsonNode active = ok(TestServer.call(provider.client(), "GET", "/v1/compute/epochs/" + epoch.uuid(), null), 200);
        assertThat(active.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(Instant.parse(active.get("starts_at").asText())).isEqualTo(s);
        assertThat(Instant.parse(active.get("ends_at").asText())).isEqualTo(epoch.endsAt());
        try (Connection stuck = DriverManager.getConnection(db)) {
            stuck.setAutoCommit(false);
            one(stuck, "SELECT uuid::text FROM compute_epochs WHERE uuid = ?::uuid FOR UPDATE", epoch.uuid().toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(epoch.endsAt().plusSeconds(3)));
            JsonNode due = ok(TestServer.call(provider.client(), "GET", "/v1/compute/epochs/" + epoch.uuid(), null), 200);
            assertThat(due.get("status").asText()).as("ended, not finalized while a replica holds it").isEqualTo("FINALIZING");
            assertThat(rewards(operator, epoch)).isEmpty();
            stuck.rollback();
        }
        replica.close(); // and a replica restarts: the other one and the new one finalize it once
        replica = startReplica();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                ok(TestServer.call(provider.client(), "GET", "/v1/compute/epochs/" + epoch.uuid(), null), 200)
                        .get("status").asText().equals("FINALIZED"));

        Map<String, JsonNode> all = rewards(operator, epoch);
        assertThat(all).containsOnlyKeys(gpuNode.uuid, cpuNode.uuid, strangers.uuid);
        JsonNode gpu = all.get(gpuNode.uuid);
        // 6000 × 7500 ms / 168 h = 0.07440476… ; 10000 × 1.81 × 2500 ms / 168 h = 0.07481812… ; 2000 × 500 ms / 168 h = 0.00165343…
        assertThat(gpu.get("assignable_hours").asText()).isEqualTo("0.002083");
        assertThat(gpu.get("worked_hours").asText()).isEqualTo("0.000694");
        assertThat(gpu.get("prep_hours").asText()).isEqualTo("0.000139");
        assertThat(gpu.get("multiplier").asText()).isEqualTo("1.81");
        assertThat(gpu.get("availability_reward").asText()).isEqualTo("0.074405");
        assertThat(gpu.get("execution_reward").asText()).isEqualTo("0.074818");
        assertThat(gpu.get("preparation_reward").asText()).isEqualTo("0.001653");
        assertThat(gpu.get("total").asText()).isEqualTo("0.150876");
        assertThat(gpu.get("account_uuid").asText()).isEqualTo(provider.accountUuid().toString());
        JsonNode cpu = all.get(cpuNode.uuid);
        JsonNode full = all.get(strangers.uuid);
        assertThat(full.get("availability_reward").asText()).as("ONLINE the whole epoch").isEqualTo("0.099206");
        assertThat(cpu.get("availability_reward").asText()).as("OFFLINE half the epoch: half").isEqualTo("0.049603");
        assertThat(cpu.get("assignable_hours").asText()).isEqualTo("0.001389");
        assertThat(cpu.get("multiplier").asText()).as("no GPU").isEqualTo("0.23");
        assertThat(cpu.get("execution_reward").asText()).isEqualTo("0.000000");

        // Own nodes only; the node's own key sees its account's rows too.
        assertThat(rewards(provider.client(), epoch)).containsOnlyKeys(gpuNode.uuid, cpuNode.uuid);
        assertThat(rewards(gpuNode.client, epoch)).containsOnlyKeys(gpuNode.uuid, cpuNode.uuid);
        assertThat(rewards(stranger.client(), epoch)).containsOnlyKeys(strangers.uuid);

        try (Connection c = DriverManager.getConnection(db)) {
            assertThat(rows(c, "SELECT account_uuid::text, amount::text FROM epoch_account_payouts WHERE epoch_uuid = ?::uuid ORDER BY 1",
                    epoch.uuid().toString())).extracting(r -> r[0] + "=" + r[1]).containsExactlyInAnyOrder(
                    provider.accountUuid() + "=" + new BigDecimal("0.150876").add(new BigDecimal(cpu.get("total").asText())).toPlainString(),
                    stranger.accountUuid() + "=" + full.get("total").asText());
            assertThat(one(c, "SELECT count(*)::text FROM node_epoch_rewards WHERE epoch_uuid = ?::uuid", epoch.uuid().toString()))
                    .isEqualTo("3");
            // One REWARD ledger transaction per provider account, linked from its payout, of the payout's amount.
            assertThat(rows(c, """
                    SELECT l.account_uuid::text, l.amount::text FROM ledger_transactions l
                    JOIN epoch_account_payouts p ON p.ledger_transaction_uuid = l.uuid
                    WHERE l.type = 'REWARD' AND l.epoch_uuid = ?::uuid AND p.amount = l.amount""", epoch.uuid().toString()))
                    .extracting(r -> r[0] + "=" + r[1]).containsExactlyInAnyOrder(
                    provider.accountUuid() + "=" + new BigDecimal("0.150876").add(new BigDecimal(cpu.get("total").asText())).toPlainString(),
                    stranger.accountUuid() + "=" + full.get("total").asText());
            assertThat(one(c, "SELECT count(*)::text FROM ledger_transactions WHERE type = 'REWARD' AND epoch_uuid = ?::uuid",
                    epoch.uuid().toString())).isEqualTo("2");
            // The database refuses a second REWARD for the same epoch and account, whatever the code does.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> update(c, """
                    INSERT INTO ledger_transactions (uuid, account_uuid, type, amount, currency, balance_after, epoch_uuid, created_at)
                    VALUES (gen_random_uuid(), ?::uuid, 'REWARD', 1, 'USD', 1, ?::uuid, now())""",
                    provider.accountUuid().toString(), epoch.uuid().toString())).hasMessageContaining("ledger_one_reward_per_epoch_and_account_idx");
        }
    }

    @Test
    void epochsNeedThePermissionAndAnUnknownOneIsA404() {
        Tenant none = TestServer.newTenant(server, List.of("preset:compute_consumer"));
        ApiResponse r = TestServer.call(none.client(), "GET", "/v1/compute/epochs", null);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().at("/error/message").asText()).contains("epochs.read");
        assertThat(TestServer.call(provider.client(), "GET", "/v1/compute/epochs/" + UUID.randomUUID(), null).status()).isEqualTo(404);
        assertThat(TestServer.call(provider.client(), "GET", "/v1/compute/epochs/nope/rewards", null).status()).isEqualTo(404);
        r = TestServer.call(provider.client(), "GET", "/v1/compute/epochs?filter[status]=DONE", null);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("filter[status]");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ok(TestServer.call(provider.client(), "GET", "/v1/compute/epochs?filter[status]=ACTIVE", null), 200).get("total").asLong() == 1);
    }

    static Map<String, JsonNode> rewards(GalleyClient c, Epoch epoch) {
        Map<String, JsonNode> out = new HashMap<>();
        ok(TestServer.call(c, "GET", "/v1/compute/epochs/" + epoch.uuid() + "/rewards?limit=50", null), 200)
                .get("data").forEach(r -> out.put(r.get("node_uuid").asText(), r));
        return out;
    }

    /** The node ONLINE from {@code start} to {@code offlineAt}, OFFLINE from then on. */
    static void history(Connection c, String node, Instant start, Instant offlineAt) throws Exception {
        update(c, "DELETE FROM node_status_spans WHERE node_uuid = ?::uuid", node);
        update(c, "INSERT INTO node_status_spans (node_uuid, status, started_at, ended_at) VALUES (?::uuid, 'ONLINE', ?, ?)",
                node, Timestamp.from(start), Timestamp.from(offlineAt));
        update(c, "INSERT INTO node_status_spans (node_uuid, status, started_at) VALUES (?::uuid, 'OFFLINE', ?)",
                node, Timestamp.from(offlineAt));
    }

    static void update(Connection c, String sql, Object... args) throws Exception {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            ps.executeUpdate();
        }
    }

    static String one(Connection c, String sql, String arg) throws Exception {
        List<String[]> r = rows(c, sql, arg);
        assertThat(r).hasSize(1);
        return r.getFirst()[0];
    }

    static List<String[]> rows(Connection c, String sql, String arg) throws Exception {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (var rs = ps.executeQuery()) {
                List<String[]> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[n];
                    for (int i = 0; i < n; i++) row[i] = rs.getString(i + 1);
                    out.add(row);
                }
                return out;
            }
        }
    }
}
