package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.billing.BillingMode;
import dev.galley.server.http.ApiException;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GALLEY_BILLING=enforce (spec §9) on a cluster of its own, cut every 2 s: an account that runs out of credit has its
 * running job stopped at the next cut, with the reason on the job; exempt (operator) and solvent accounts run on; an
 * account without credit may not start work (the 402 that create and cook will answer).
 */
class EnforcementIT {
    static BillingCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BillingCluster.start(BillingMode.ENFORCE, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() {
        cluster.server.close();
    }

    @Test
    void anAccountThatRunsOutIsStoppedAtTheCutWhileExemptAndSolventAccountsRunOn() {
        Tenant provider = cluster.tenant();
        Tenant poor = cluster.tenant();
        Tenant rich = cluster.tenant();
        cluster.grant(poor, "0.0001");
        cluster.grant(rich, "100");
        String region = cluster.region();
        SimulatedNode node = cluster.node(provider, region, 16, List.<String[]>of(new String[] {"NVIDIA H100 80GB HBM3", "80"}));
        // 1 H100 (2.50/h) + 1 core: 0.001394 per 2 s cut, far more than the poor account holds.
        JsonNode poorRun = cluster.startRun(poor, node, region, "PERSISTENT", "\"gpu_count\":1,\"gpu_name\":\"H100\"");
        JsonNode richRun = cluster.startRun(rich, node, region, "PERSISTENT", "\"cpu_count\":2");
        Tenant operator = new Tenant(null, TestServer.OPERATOR_KEY, cluster.operator());
        JsonNode operatorRun = cluster.startRun(operator, node, region, "PERSISTENT", "\"cpu_count\":2");
        String poorJob = poorRun.get("job_uuid").asText();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(poor.ok("GET", "/v1/jobs/" + poorJob, null, 200).get("status").asText()).isEqualTo("CANCELLING"));
        JsonNode stopping = poor.ok("GET", "/v1/jobs/" + poorJob, null, 200);
        assertThat(stopping.get("status_reason_code").asText()).isEqualTo("INSUFFICIENT_CREDIT");
        assertThat(stopping.get("status_reason").asText()).contains("below zero").contains("USD");
        BigDecimal balance = new BigDecimal(poor.ok("GET", "/v1/balance", null, 200).get("balance").asText());
        assertThat(balance.signum()).isNegative();
        assertThat(stopping.get("status_reason").asText()).contains(balance.setScale(6).toPlainString());

        // The node hears about it at its next heartbeat, stops the container and reports it.
        String poorRunUuid = poorRun.get("uuid").asText();
        JsonNode commands = node.heartbeat(List.of(poorRunUuid, richRun.get("uuid").asText(), operatorRun.get("uuid").asText()));
        assertThat(commands).anySatisfy(c -> {
            assertThat(c.get("type").asText()).isEqualTo("stop_run");
            assertThat(c.get("job_run_uuid").asText()).isEqualTo(poorRunUuid);
        });
        assertThat(commands).noneSatisfy(c -> assertThat(c.get("job_run_uuid").asText()).isNotEqualTo(poorRunUuid));
        node.reportOk(poorRunUuid, "{\"status\":\"CANCELLED\"}");
        JsonNode stopped = poor.ok("GET", "/v1/jobs/" + poorJob, null, 200);
        assertThat(stopped.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(stopped.get("status_reason_code").asText()).as("the reason outlives CANCELLING").isEqualTo("INSUFFICIENT_CREDIT");

        // The operator's account is below zero too, but exempt; the rich one has credit: both run on past their cuts.
        BillingCluster.awaitUsage(operator, operatorRun.get("uuid").asText(), l -> l.size() >= 2);
        BillingCluster.awaitUsage(rich, richRun.get("uuid").asText(), l -> l.size() >= 2);
        assertThat(new BigDecimal(operator.ok("GET", "/v1/balance", null, 200).get("balance").asText()).signum()).isNegative();
        assertThat(operator.ok("GET", "/v1/jobs/" + operatorRun.get("job_uuid").asText(), null, 200).get("status").asText())
                .isEqualTo("RUNNING");
        assertThat(rich.ok("GET", "/v1/jobs/" + richRun.get("job_uuid").asText(), null, 200).get("status").asText())
                .isEqualTo("RUNNING");
        for (JsonNode r : List.of(richRun, operatorRun)) {
            TestServer.ok(TestServer.call(cluster.operator(), "PUT", "/v1/jobs/" + r.get("job_uuid").asText() + "/cancel", "{}"), 200);
        }
    }

    @Test
    void anAccountWithoutCreditMayNotStartWorkAndIsToldWhy() {
        Tenant broke = cluster.tenant();
        var billing = cluster.server.billing();
        assertThat(billing.mayStartWork(broke.accountUuid())).as("a balance of zero").isFalse();
        assertThatThrownBy(() -> billing.requireCredit(broke.accountUuid())).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(402);
            assertThat(e.type()).isEqualTo("payment_required");
            assertThat(e.getMessage()).contains("0.000000 USD").contains("above zero");
        });
        Tenant solvent = cluster.tenant();
        cluster.grant(solvent, "1");
        var held = billing.withoutCredit(java.util.List.of(broke.accountUuid(), solvent.accountUuid()));
        assertThat(held).containsOnlyKeys(broke.accountUuid());
        assertThat(held.get(broke.accountUuid())).contains("waiting for credit").contains("0.000000 USD");
        cluster.grant(broke, "0.01");
        assertThat(billing.mayStartWork(broke.accountUuid())).isTrue();
        assertThat(billing.withoutCredit(java.util.List.of(broke.accountUuid()))).isEmpty();
        billing.requireCredit(broke.accountUuid());
        JsonNode operator = TestServer.ok(TestServer.call(cluster.operator(), "GET", "/v1/balance", null), 200);
        assertThat(billing.mayStartWork(java.util.UUID.fromString(operator.get("account_uuid").asText())))
                .as("the operator account is exempt").isTrue();
        assertThat(billing.mayStartWork(java.util.UUID.randomUUID())).as("no such account").isFalse();
    }
}
