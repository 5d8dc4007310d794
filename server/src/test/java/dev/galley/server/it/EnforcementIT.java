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

    static String jobIn(String region) {
        return """
                {"title":"needs credit","task":"PERSISTENT","cpu_count":1,"allowed_region_codes":["%s"],"parameters":{"parameters":{"image":"busybox"}}}"""
                .formatted(region);
    }

    @Test
    void createAndCookFromAnAccountWithoutCreditAre402AndWriteNothingWhileTheOperatorIsExempt() {
        Tenant broke = cluster.tenant();
        String region = cluster.region();
        JsonNode refused = broke.ok("POST", "/v1/jobs", jobIn(region), 402);
        assertThat(refused.at("/error/type").asText()).isEqualTo("payment_required");
        assertThat(refused.at("/error/message").asText()).contains("0.000000 USD").contains("above zero");
        // A recipe may be saved (it costs nothing), but cooking it is starting work.
        String recipe = broke.ok("POST", "/v1/job-recipes", Recipes.recipe("credit", "PRIVATE"), 201).get("uuid").asText();
        JsonNode cooked = broke.ok("POST", "/v1/job-recipes/" + recipe + "/cook", "{}", 402);
        assertThat(cooked.at("/error/type").asText()).isEqualTo("payment_required");
        // A recipe the caller may not see is still a 404, not a 402 that would confirm it exists.
        broke.ok("POST", "/v1/job-recipes/" + java.util.UUID.randomUUID() + "/cook", "{}", 404);
        assertThat(broke.ok("GET", "/v1/jobs", null, 200).get("data")).as("nothing was written").isEmpty();

        // An Idempotency-Key does not get around it, and after a grant the same key creates the job.
        assertThat(TestServer.call(broke.client(), "POST", "/v1/jobs", jobIn(region), java.util.Map.of("Idempotency-Key", "k1"))
                .status()).isEqualTo(402);
        cluster.grant(broke, "0.5");
        JsonNode created = TestServer.ok(TestServer.call(broke.client(), "POST", "/v1/jobs", jobIn(region),
                java.util.Map.of("Idempotency-Key", "k1")), 201);
        assertThat(created.get("status").asText()).isEqualTo("PENDING");
        broke.ok("PUT", "/v1/jobs/" + created.get("uuid").asText() + "/cancel", "{}", 200);

        // The operator's account is exempt, whatever its balance (the other test drives it below zero).
        JsonNode own = TestServer.ok(TestServer.call(cluster.operator(), "POST", "/v1/jobs", jobIn(region)), 201);
        TestServer.ok(TestServer.call(cluster.operator(), "PUT", "/v1/jobs/" + own.get("uuid").asText() + "/cancel", "{}"), 200);
    }

    @Test
    void waitingJobsOfAnAccountWithoutCreditAreNotPlacedAndArePlacedOnceCreditIsGranted() {
        Tenant provider = cluster.tenant();
        Tenant consumer = cluster.tenant();
        cluster.grant(consumer, "1");
        String region = cluster.region();
        String job = consumer.ok("POST", "/v1/jobs", jobIn(region), 201).get("uuid").asText();
        // The account's credit is taken back while the job waits for a node.
        TestServer.ok(TestServer.call(cluster.operator(), "POST", "/v1/compute/ledger/transactions",
                "{\"account_uuid\":\"" + consumer.accountUuid() + "\",\"type\":\"ADJUSTMENT\",\"amount\":\"-1\","
                        + "\"description\":\"credit taken back\"}"), 201);
        SimulatedNode node = cluster.node(provider, region, 8, SimulatedNode.noGpus());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode j = consumer.ok("GET", "/v1/jobs/" + job, null, 200);
            assertThat(j.get("status").asText()).isEqualTo("PENDING");
            assertThat(j.get("status_reason_code").asText()).isEqualTo("INSUFFICIENT_CREDIT");
            assertThat(j.get("status_reason").asText()).contains("waiting for credit").contains("0.000000 USD");
        });
        assertThat(node.poll(1_000)).as("a node with room gets nothing for an account without credit").isEmpty();

        cluster.grant(consumer, "1");
        JsonNode assignment = node.next(15_000);
        assertThat(assignment.at("/job_run/job_uuid").asText()).isEqualTo(job);
        assertThat(consumer.ok("GET", "/v1/jobs/" + job, null, 200).get("status").asText()).isEqualTo("ASSIGNED");
        consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", "{}", 200);
    }
}
