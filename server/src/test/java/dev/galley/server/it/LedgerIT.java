package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ledger over signed HTTP (spec §9): operators' credit grants and adjustments (Idempotency-Key), what each key may
 * read, every bad input a 400 naming the field, and a database that refuses to rewrite a single ledger row.
 */
class LedgerIT {
    static BillingCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BillingCluster.shared();
    }

    static ApiResponse post(String body, Map<String, String> headers) {
        return TestServer.call(cluster.operator(), "POST", "/v1/compute/ledger/transactions", body, headers);
    }

    static String grant(Tenant t, String amount) {
        return "{\"account_uuid\":\"" + t.accountUuid() + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"" + amount + "\"}";
    }

    @Test
    void aGrantAndAnAdjustmentMoveTheBalanceAndAreListedWithTheirBalanceAfter() {
        Tenant t = cluster.tenant();
        JsonNode g = TestServer.ok(post(grant(t, "25.5"), Map.of()), 201);
        assertThat(g.get("object").asText()).isEqualTo("ledger_transaction");
        assertThat(g.get("amount").asText()).isEqualTo("25.500000");
        assertThat(g.get("balance_after").asText()).isEqualTo("25.500000");
        assertThat(g.get("usage_record_uuid").isNull()).isTrue();
        JsonNode a = TestServer.ok(post("{\"account_uuid\":\"" + t.accountUuid()
                + "\",\"type\":\"ADJUSTMENT\",\"amount\":\"-0.500001\",\"description\":\"refund reversed\"}", Map.of()), 201);
        assertThat(a.get("balance_after").asText()).isEqualTo("24.999999");
        assertThat(t.ok("GET", "/v1/balance", null, 200).get("balance").asText()).isEqualTo("24.999999");

        JsonNode page = t.ok("GET", "/v1/compute/ledger/transactions?limit=10&sort=-created_at", null, 200);
        assertThat(page.get("total").asInt()).isEqualTo(2);
        assertThat(page.get("data")).extracting(x -> x.get("type").asText()).containsExactlyInAnyOrder("CREDIT_GRANT", "ADJUSTMENT");
        JsonNode grants = t.ok("GET", "/v1/compute/ledger/transactions?filter[type]=CREDIT_GRANT", null, 200);
        assertThat(grants.get("data")).singleElement().satisfies(x -> assertThat(x.get("uuid")).isEqualTo(g.get("uuid")));
        assertThat(t.ok("GET", "/v1/compute/ledger/transactions?filter[created_at]=2000-01-01,2000-12-31", null, 200)
                .get("total").asInt()).isZero();
    }

    @Test
    void anIdempotencyKeyRepeatedAnswersTheFirstAnswerAndPostsNothingEvenConcurrently() throws Exception {
        Tenant t = cluster.tenant();
        String key = "grant-" + UUID.randomUUID();
        String body = grant(t, "7");
        ApiResponse first = post(body, Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(201);
        ApiResponse again = post(body, Map.of("Idempotency-Key", key));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.bodyText()).isEqualTo(first.bodyText());

        ApiResponse other = post(grant(t, "8"), Map.of("Idempotency-Key", key));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().at("/error/message").asText()).contains("already used with a different request");

        // Eight twins at once: one grant, eight identical answers.
        String key2 = "grant-" + UUID.randomUUID();
        String body2 = grant(t, "1.25");
        var futures = new ArrayList<CompletableFuture<ApiResponse>>();
        for (int i = 0; i < 8; i++) futures.add(CompletableFuture.supplyAsync(() -> post(body2, Map.of("Idempotency-Key", key2))));
        var answers = futures.stream().map(CompletableFuture::join).toList();
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(answers.stream().map(ApiResponse::bodyText).distinct()).hasSize(1);

        assertThat(t.ok("GET", "/v1/compute/ledger/transactions", null, 200).get("total").asInt()).isEqualTo(2);
        assertThat(t.ok("GET", "/v1/balance", null, 200).get("balance").asText()).isEqualTo("8.250000");
        assertThat(post(body, Map.of("Idempotency-Key", "")).status()).isEqualTo(400);
    }

    @Test
    void everyBadInputIsA400NamingTheField() {
        Tenant t = cluster.tenant();
        String acct = t.accountUuid().toString();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":5}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"5.1234567\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"1e3\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"-5\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"1000000000.000001\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"ADJUSTMENT\",\"amount\":\"0\",\"description\":\"x\"}", "amount"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"ADJUSTMENT\",\"amount\":\"-1\"}", "description"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"USAGE_CHARGE\",\"amount\":\"-1\"}", "type"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"amount\":\"1\"}", "type"),
                Map.entry("{\"account_uuid\":\"not-a-uuid\",\"type\":\"CREDIT_GRANT\",\"amount\":\"1\"}", "account_uuid"),
                Map.entry("{\"account_uuid\":\"" + UUID.randomUUID() + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"1\"}", "account_uuid"),
                Map.entry("{\"type\":\"CREDIT_GRANT\",\"amount\":\"1\"}", "account_uuid"),
                Map.entry("{\"account_uuid\":\"" + acct + "\",\"type\":\"CREDIT_GRANT\",\"amount\":\"1\",\"balance_after\":\"9\"}", "balance_after"));
        cases.forEach((body, field) -> {
            ApiResponse r = post(body, Map.of());
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().at("/error/errors")).as(body).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(field));
        });
        assertThat(t.ok("GET", "/v1/compute/ledger/transactions", null, 200).get("total").asInt()).as("nothing half-written").isZero();
        assertThat(t.call("GET", "/v1/compute/ledger/transactions?sort=updated_at", null).status()).isEqualTo(400);
        assertThat(t.call("GET", "/v1/compute/ledger/transactions?filter[type]=BONUS", null).status()).isEqualTo(400);
        assertThat(t.call("GET", "/v1/balance?account_uuid=nope", null).status()).isEqualTo(400);
        assertThat(t.call("GET", "/v1/balance?currency=USD", null).status()).isEqualTo(400);
    }

    @Test
    void onlyOperatorsPostAndNobodySeesAnotherAccountsMoney() {
        Tenant alice = cluster.tenant();
        Tenant bob = cluster.tenant();
        TestServer.ok(post(grant(bob, "3"), Map.of()), 201);
        ApiResponse self = alice.call("POST", "/v1/compute/ledger/transactions", grant(alice, "1000"));
        assertThat(self.status()).as("a consumer cannot grant itself credit").isEqualTo(403);
        assertThat(alice.call("GET", "/v1/balance?account_uuid=" + bob.accountUuid(), null).status()).isEqualTo(404);
        assertThat(alice.call("GET", "/v1/compute/ledger/transactions?filter[account_uuid]=" + bob.accountUuid(), null).status())
                .isEqualTo(403);
        assertThat(alice.ok("GET", "/v1/compute/ledger/transactions", null, 200).get("total").asInt()).isZero();
        JsonNode asOperator = TestServer.ok(TestServer.call(cluster.operator(), "GET",
                "/v1/compute/ledger/transactions?filter[account_uuid]=" + bob.accountUuid(), null), 200);
        assertThat(asOperator.get("total").asInt()).isEqualTo(1);
        JsonNode bobBalance = TestServer.ok(TestServer.call(cluster.operator(), "GET", "/v1/balance?account_uuid=" + bob.accountUuid(), null), 200);
        assertThat(bobBalance.get("balance").asText()).isEqualTo("3.000000");
        assertThat(bobBalance.get("billing_exempt").asBoolean()).isFalse();
        // A key without ledger rights reads nothing, not even its own account's.
        Tenant jobsOnly = TestServer.newTenant(cluster.server, List.of("jobs.read.own"));
        assertThat(jobsOnly.call("GET", "/v1/balance", null).status()).isEqualTo(403);
        assertThat(jobsOnly.call("GET", "/v1/compute/ledger/transactions", null).status()).isEqualTo(403);
        JsonNode operator = TestServer.ok(TestServer.call(cluster.operator(), "GET", "/v1/balance", null), 200);
        assertThat(operator.get("billing_exempt").asBoolean()).as("the bootstrap operator account is exempt").isTrue();
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateTheLedgerUsageOrPrices() throws Exception {
        Tenant t = cluster.tenant();
        String uuid = TestServer.ok(post(grant(t, "2"), Map.of()), 201).get("uuid").asText();
        try (var c = cluster.sql(); var st = c.createStatement()) {
            for (String sql : List.of(
                    "UPDATE ledger_transactions SET amount = 1000 WHERE uuid = '" + uuid + "'",
                    "DELETE FROM ledger_transactions WHERE uuid = '" + uuid + "'",
                    "TRUNCATE ledger_transactions CASCADE",
                    "UPDATE usage_records SET amount = 0",
                    "DELETE FROM usage_records",
                    "TRUNCATE usage_records CASCADE",
                    "UPDATE prices SET amount_per_hour = 0",
                    "DELETE FROM prices",
                    "TRUNCATE prices CASCADE")) {
                if (sql.startsWith("UPDATE usage_records") || sql.startsWith("DELETE FROM usage_records")) {
                    ensureAUsageRecord(st);
                }
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
        }
        assertThat(t.ok("GET", "/v1/balance", null, 200).get("balance").asText()).isEqualTo("2.000000");
        JsonNode listed = t.ok("GET", "/v1/compute/ledger/transactions?filter[uuid]=" + uuid, null, 200);
        assertThat(listed.get("data").get(0).get("amount").asText()).isEqualTo("2.000000");
    }

    /** A usage record to aim UPDATE and DELETE at (row triggers fire only on rows that match). */
    private static void ensureAUsageRecord(java.sql.Statement st) throws SQLException {
        st.execute("""
                INSERT INTO usage_records (uuid, account_uuid, job_uuid, job_run_uuid, node_uuid, provider_account_uuid, period_start,
                    period_end, seconds, gpu_name, gpu_count, cpu_count, ram_gb, storage_gb, price_per_hour, amount, currency, created_at)
                VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(),
                        now() - interval '1 minute', now(), 60, NULL, 0, 1, 1, 1, 0.01, 0.000167, 'USD', now())""");
    }
}
