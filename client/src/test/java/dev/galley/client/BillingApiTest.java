package dev.galley.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.StubApiServer.Reply;
import dev.galley.core.billing.LedgerType;
import dev.galley.core.billing.UsageGrouping;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK's billing calls: what they send (amounts as decimal strings, the Idempotency-Key) and what they read. */
class BillingApiTest {
    private final StubApiServer server = newServer();
    private final Galley galley = Galley.builder(server.url(), StubApiServer.KEY)
            .retryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(1))).build();

    private static StubApiServer newServer() {
        try {
            return new StubApiServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode body(StubApiServer.Seen seen) throws IOException {
        return GalleyClient.MAPPER.readTree(new String(seen.body(), StandardCharsets.UTF_8));
    }

    @Test
    void amountsTravelAsDecimalStringsAndReadBackExactly() throws Exception {
        server.answer(r -> Reply.json(201, """
                {"uuid":"t1","object":"ledger_transaction","type":"CREDIT_GRANT","amount":"0.100000","balance_after":"0.300000",
                 "currency":"USD","account_uuid":"a1","usage_record_uuid":null,"description":"promo"}"""));
        LedgerTransaction t = galley.billing().post("a1", LedgerType.CREDIT_GRANT, new BigDecimal("0.1"), "promo");
        JsonNode sent = body(server.last());
        assertThat(sent.get("amount").isTextual()).as("never a JSON number").isTrue();
        assertThat(sent.get("amount").asText()).isEqualTo("0.1");
        assertThat(sent.get("type").asText()).isEqualTo("CREDIT_GRANT");
        assertThat(t.amount()).isEqualTo(new BigDecimal("0.100000"));
        assertThat(t.balanceAfter().add(t.amount())).isEqualByComparingTo("0.4"); // exact, unlike 0.3 + 0.1 in doubles
        assertThat(t.type()).isEqualTo(LedgerType.CREDIT_GRANT);
        assertThat(t.usageRecordUuid()).isNull();
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameIdempotencyKeySoCreditIsPostedOnce() {
        AtomicInteger calls = new AtomicInteger();
        server.answer(r -> calls.incrementAndGet() == 1 ? Reply.json(503, "{\"error\":{\"type\":\"unavailable\",\"message\":\"x\"}}")
                : Reply.json(201, "{\"uuid\":\"t1\",\"type\":\"ADJUSTMENT\",\"amount\":\"-1.000000\"}"));
        galley.billing().post("a1", LedgerType.ADJUSTMENT, new BigDecimal("-1"), "correction");
        assertThat(server.seen()).hasSize(2);
        String key = server.seen().get(0).header("Idempotency-Key");
        assertThat(key).isNotBlank();
        assertThat(server.seen().get(1).header("Idempotency-Key")).isEqualTo(key);
    }

    @Test
    void theSummaryQueryNamesItsGroupingRangeAndLimit() {
        server.answer(r -> Reply.json(200, """
                {"object":"usage_summary","group_by":"gpu_name","currency":"USD","data":[{"key":null,"seconds":60,"amount":"0.010000","records":1}],
                 "totals":{"seconds":60,"amount":"0.010000","records":1},"truncated":false}"""));
        UsageSummary s = galley.billing().usageSummary(UsageGrouping.GPU_NAME, Instant.parse("2026-04-01T00:00:00Z"), null, 10);
        String query = server.last().rawQuery();
        assertThat(query).contains("group_by=gpu_name").contains("limit=10")
                .contains("filter%5Bperiod_start%5D=2026-04-01T00%3A00%3A00Z%2C9999-12-31T23%3A59%3A59Z");
        assertThat(s.groups()).singleElement().satisfies(g -> {
            assertThat(g.key()).isNull();
            assertThat(g.amount()).isEqualTo(new BigDecimal("0.010000"));
        });
        assertThat(s.totals().seconds()).isEqualTo(60);
        assertThat(s.truncated()).isFalse();
    }

    @Test
    void pricesInForceFollowEveryPage() {
        server.answer(r -> r.rawQuery().contains("page=1")
                ? Reply.json(200, "{\"data\":[{\"uuid\":\"p1\",\"resource\":\"gpu\",\"amount_per_hour\":\"0.350000\"}],\"page\":1,\"limit\":1,\"total\":2}")
                : Reply.json(200, "{\"data\":[{\"uuid\":\"p2\",\"resource\":\"cpu_core\",\"amount_per_hour\":\"0.010000\"}],\"page\":2,\"limit\":1,\"total\":2}"));
        var prices = galley.billing().pricesInForce();
        assertThat(prices).extracting(Price::uuid).containsExactly("p1", "p2");
        assertThat(prices.get(0).amountPerHour()).isEqualByComparingTo("0.35");
        assertThat(server.seen()).allSatisfy(s -> assertThat(s.rawQuery()).contains("filter%5Bin_force%5D=true"));
    }

    @Test
    void balancesAndUsageReadTheirFields() {
        server.answer(r -> r.path().equals("/v1/balance")
                ? Reply.json(200, "{\"object\":\"balance\",\"account_uuid\":\"a1\",\"balance\":\"-0.000001\",\"currency\":\"EUR\",\"billing_exempt\":true}")
                : Reply.json(200, "{\"data\":[{\"uuid\":\"u1\",\"seconds\":3600,\"amount\":\"2.500000\",\"price_per_hour\":\"2.500000\","
                        + "\"period_start\":\"2026-04-01T10:00:00.000Z\",\"gpu_name\":\"NVIDIA H100 80GB HBM3\"}],\"page\":1,\"limit\":20,\"total\":1}"));
        Balance b = galley.billing().balance("a1");
        assertThat(server.last().rawQuery()).isEqualTo("account_uuid=a1");
        assertThat(b.balance()).isEqualByComparingTo("-0.000001");
        assertThat(b.currency()).isEqualTo("EUR");
        assertThat(b.billingExempt()).isTrue();
        UsageRecord u = galley.billing().usage(ListQuery.defaults().filter("job_uuid", "j1")).data().getFirst();
        assertThat(u.seconds()).isEqualTo(3600);
        assertThat(u.amount()).isEqualByComparingTo("2.5");
        assertThat(u.periodStart()).isEqualTo(Instant.parse("2026-04-01T10:00:00Z"));
        assertThat(u.gpuName()).isEqualTo("NVIDIA H100 80GB HBM3");
    }
}
