package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.core.billing.Metering;
import dev.galley.core.billing.PlatformFee;
import dev.galley.server.http.Json;
import dev.galley.server.it.TestServer.Tenant;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spec §9 end to end over signed HTTP: runs moved by simulated nodes are metered per second from RUNNING to their end,
 * cut every metering period while they run, charged once to the consumer and paid once to the node's provider less the
 * fee, at the prices in force when they started; a lost node's run is charged only to its last heartbeat.
 */
class MeteringIT {
    static BillingCluster cluster;
    static Tenant provider;

    @BeforeAll
    static void start() {
        cluster = BillingCluster.shared();
        provider = cluster.tenant();
    }

    /** 2 cores × 0.01 + 4 GB × 0.002 + 10 GB × 0.0001 per hour, on the seeded rate card. */
    static final String CPU_JOB = "\"cpu_count\":2,\"min_ram_gb\":4,\"min_storage_gb\":10";
    static final BigDecimal CPU_JOB_PRICE = new BigDecimal("0.029");

    @Test
    void aRunIsChargedItsSecondsOnceToTheConsumerAndPaidOnceToTheProviderLessTheFee() {
        Tenant consumer = cluster.tenant();
        Tenant provider = cluster.tenant(); // its own, so its balance is this run's earning alone
        cluster.grant(consumer, "10");
        String region = cluster.region();
        SimulatedNode node = cluster.node(provider, region, 8, SimulatedNode.noGpus());
        JsonNode run = cluster.startRun(consumer, node, region, "BATCH", CPU_JOB);
        String runUuid = run.get("uuid").asText();
        awaitHeartbeatAfter(node, run.get("started_at_ms").asLong()); // the run lasts a real, non-zero time
        node.reportOk(runUuid, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
        JsonNode done = consumer.ok("GET", "/v1/job-runs/" + runUuid, null, 200);
        long started = done.get("started_at_ms").asLong();
        long completed = done.get("completed_at_ms").asLong();

        List<JsonNode> usage = BillingCluster.awaitUsage(consumer, runUuid, list -> !list.isEmpty()
                && list.getLast().get("period_end").asText().equals(Json.timestamp(Instant.ofEpochMilli(completed))));
        assertThat(usage).as("a run shorter than the metering period is one record").hasSize(1);
        JsonNode u = usage.getFirst();
        long seconds = Metering.billableSeconds(Duration.ofMillis(completed - started));
        assertThat(u.get("seconds").asLong()).isEqualTo(seconds).isPositive();
        assertThat(Instant.parse(u.get("period_start").asText()).toEpochMilli()).isEqualTo(started);
        assertThat(new BigDecimal(u.get("price_per_hour").asText())).isEqualByComparingTo(CPU_JOB_PRICE);
        BigDecimal amount = new BigDecimal(u.get("amount").asText());
        assertThat(amount).isEqualByComparingTo(Metering.amount(seconds, CPU_JOB_PRICE));
        assertThat(u.get("account_uuid").asText()).isEqualTo(consumer.accountUuid().toString());
        assertThat(u.get("provider_account_uuid").asText()).isEqualTo(provider.accountUuid().toString());
        assertThat(u.get("node_uuid").asText()).isEqualTo(node.uuid);
        assertThat(u.get("cpu_count").asInt()).isEqualTo(2);
        assertThat(u.get("gpu_count").asInt()).isZero();
        assertThat(u.get("gpu_name").isNull()).isTrue();
        assertThat(u.get("currency").asText()).isEqualTo("USD");

        var split = PlatformFee.DEFAULT.split(amount);
        JsonNode ledger = TestServer.ok(TestServer.call(cluster.operator(), "GET",
                "/v1/compute/ledger/transactions?filter[usage_record_uuid]=" + u.get("uuid").asText(), null), 200);
        assertThat(ledger.get("total").asInt()).as("one charge and one earning").isEqualTo(2);
        JsonNode charge = only(ledger, "USAGE_CHARGE");
        JsonNode earning = only(ledger, "PROVIDER_EARNING");
        assertThat(charge.get("account_uuid").asText()).isEqualTo(consumer.accountUuid().toString());
        assertThat(new BigDecimal(charge.get("amount").asText())).isEqualByComparingTo(amount.negate());
        assertThat(earning.get("account_uuid").asText()).isEqualTo(provider.accountUuid().toString());
        assertThat(new BigDecimal(earning.get("amount").asText())).isEqualByComparingTo(split.earning());
        assertThat(new BigDecimal(charge.get("balance_after").asText())).isEqualByComparingTo(new BigDecimal("10").subtract(amount));

        assertThat(balance(consumer)).isEqualByComparingTo(new BigDecimal("10").subtract(amount));
        assertThat(balance(provider)).isEqualByComparingTo(split.earning());
        var job = java.util.UUID.fromString(run.get("job_uuid").asText());
        assertThat(cluster.server.billing().costSoFar(job)).isEqualByComparingTo(amount);
        assertThat(cluster.server.billing().pricePerHour(job, Json.object().put("gpu_count", 8)))
                .as("the run's fixed price, not the spec's estimate").isEqualByComparingTo(CPU_JOB_PRICE);
        assertThat(cluster.server.billing().pricePerHour(java.util.UUID.randomUUID(), Json.object().put("cpu_count", 3)))
                .as("no run yet: the estimate").isEqualByComparingTo("0.03");

        // The same over the API: the job and its list item show the run's price and its cost, the accounts their balances.
        JsonNode jobView = consumer.ok("GET", "/v1/jobs/" + job, null, 200);
        assertThat(jobView.get("price_per_hour").asText()).isEqualTo("0.029000");
        assertThat(jobView.get("cost_so_far").asText()).isEqualTo(amount.setScale(6).toPlainString());
        JsonNode item = consumer.ok("GET", "/v1/jobs?filter[uuid]=" + job, null, 200).get("data").get(0);
        assertThat(item.get("price_per_hour").asText()).isEqualTo("0.029000");
        assertThat(item.get("cost_so_far").asText()).isEqualTo(jobView.get("cost_so_far").asText());
        JsonNode account = TestServer.ok(TestServer.call(cluster.operator(), "GET", "/v1/accounts/" + consumer.accountUuid(), null), 200);
        assertThat(account.get("balance").asText()).isEqualTo(new BigDecimal("10").subtract(amount).setScale(6).toPlainString());
        assertThat(account.get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void aPendingJobShowsItsEstimateAtTheCardInForceAndNoCost() {
        Tenant consumer = cluster.tenant();
        String region = cluster.region(); // no node: the job waits
        String body = """
                {"title":"waits","task":"PERSISTENT","allowed_region_codes":["%s"],%s,"parameters":{"parameters":{"image":"busybox"}}}"""
                .formatted(region, CPU_JOB);
        JsonNode created = consumer.ok("POST", "/v1/jobs", body, 201);
        assertThat(created.get("price_per_hour").asText()).isEqualTo("0.029000");
        assertThat(created.get("cost_so_far").asText()).isEqualTo("0.000000");
        JsonNode pending = consumer.ok("GET", "/v1/jobs/" + created.get("uuid").asText(), null, 200);
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("price_per_hour").asText()).isEqualTo("0.029000");
        assertThat(pending.get("cost_so_far").asText()).isEqualTo("0.000000");
        consumer.ok("PUT", "/v1/jobs/" + created.get("uuid").asText() + "/cancel", "{}", 200);
    }

    @Test
    void aPersistentRunIsChargedAtEveryCutWhileItRunsAndTheRestWhenItStops() {
        Tenant consumer = cluster.tenant();
        String region = cluster.region();
        SimulatedNode node = cluster.node(provider, region, 8, SimulatedNode.noGpus());
        JsonNode run = cluster.startRun(consumer, node, region, "PERSISTENT", CPU_JOB);
        String runUuid = run.get("uuid").asText();
        String job = run.get("job_uuid").asText();
        long started = run.get("started_at_ms").asLong();

        List<JsonNode> whileRunning = BillingCluster.awaitUsage(consumer, runUuid, list -> list.size() >= 2);
        assertThat(consumer.ok("GET", "/v1/job-runs/" + runUuid, null, 200).get("status").asText())
                .as("cut while it runs").isEqualTo("RUNNING");
        long period = BillingCluster.PERIOD.toMillis();
        for (int i = 0; i < whileRunning.size(); i++) {
            JsonNode u = whileRunning.get(i);
            assertThat(Instant.parse(u.get("period_start").asText()).toEpochMilli()).isEqualTo(started + i * period);
            assertThat(Instant.parse(u.get("period_end").asText()).toEpochMilli()).isEqualTo(started + (i + 1) * period);
            assertThat(u.get("seconds").asLong()).isEqualTo(BillingCluster.PERIOD.getSeconds());
            assertThat(new BigDecimal(u.get("amount").asText())).isEqualByComparingTo(Metering.amount(4, CPU_JOB_PRICE));
        }
        BigDecimal costWhileRunning = cluster.server.billing().costSoFar(java.util.UUID.fromString(job));
        assertThat(costWhileRunning).as("closed periods plus the open one").isGreaterThanOrEqualTo(sum(whileRunning));

        consumer.ok("PUT", "/v1/jobs/" + job + "/cancel", "{\"reason\":\"done with it\"}", 200);
        node.reportOk(runUuid, "{\"status\":\"CANCELLED\"}");
        long completed = consumer.ok("GET", "/v1/job-runs/" + runUuid, null, 200).get("completed_at_ms").asLong();
        List<JsonNode> all = BillingCluster.awaitUsage(consumer, runUuid, list -> !list.isEmpty()
                && Instant.parse(list.getLast().get("period_end").asText()).toEpochMilli() == completed);
        long total = 0;
        long cursor = started;
        for (JsonNode u : all) {
            assertThat(Instant.parse(u.get("period_start").asText()).toEpochMilli()).as("contiguous, no overlap").isEqualTo(cursor);
            cursor = Instant.parse(u.get("period_end").asText()).toEpochMilli();
            total += u.get("seconds").asLong();
        }
        assertThat(total).isEqualTo(Metering.billableSeconds(Duration.ofMillis(completed - started)));
        String records = all.stream().map(u -> u.get("uuid").asText()).collect(Collectors.joining(","));
        JsonNode ledger = TestServer.ok(TestServer.call(cluster.operator(), "GET",
                "/v1/compute/ledger/transactions?limit=50&filter[type]=USAGE_CHARGE&filter[usage_record_uuid]=" + records, null), 200);
        assertThat(ledger.get("total").asInt()).as("one charge per record").isEqualTo(all.size());
        assertThat(balance(consumer)).isEqualByComparingTo(sum(all).negate());
        assertThat(cluster.server.billing().costSoFar(java.util.UUID.fromString(job))).isEqualByComparingTo(sum(all));
    }

    @Test
    void aRunOfALostNodeIsChargedOnlyToTheNodesLastHeartbeat() {
        Tenant consumer = cluster.tenant();
        String region = cluster.region();
        SimulatedNode node = cluster.node(provider, region, 8, SimulatedNode.noGpus());
        JsonNode run = cluster.startRun(consumer, node, region, "BATCH", CPU_JOB);
        String runUuid = run.get("uuid").asText();
        long started = run.get("started_at_ms").asLong();
        awaitHeartbeatAfter(node, started);
        node.fallSilent();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(consumer.ok("GET", "/v1/job-runs/" + runUuid, null, 200).get("status_reason_code").asText())
                        .isEqualTo("NODE_LOST"));
        long lost = consumer.ok("GET", "/v1/job-runs/" + runUuid, null, 200).get("completed_at_ms").asLong();
        Instant lastHeartbeat = Instant.parse(nodeView(node).get("last_seen_at").asText());
        assertThat(lastHeartbeat.toEpochMilli()).isLessThan(lost - BillingCluster.TTL_MS + 1);

        List<JsonNode> usage = BillingCluster.awaitUsage(consumer, runUuid, list -> !list.isEmpty()
                && Instant.parse(list.getLast().get("period_end").asText()).equals(lastHeartbeat));
        long seconds = usage.stream().mapToLong(u -> u.get("seconds").asLong()).sum();
        assertThat(seconds).isEqualTo(Metering.billableSeconds(Duration.ofMillis(lastHeartbeat.toEpochMilli() - started)));
        assertThat(usage).allSatisfy(u -> assertThat(Instant.parse(u.get("period_end").asText())).isBeforeOrEqualTo(lastHeartbeat));
    }

    @Test
    void aPriceChangeAppliesOnlyToRunsThatStartAfterIt() {
        Tenant consumer = cluster.tenant();
        String region = cluster.region();
        // The RTX 3060 is this test's alone, so its new price cannot move what other tests expect.
        SimulatedNode node = cluster.node(provider, region, 8, List.of(
                new String[] {"NVIDIA GeForce RTX 3060", "12"}, new String[] {"NVIDIA GeForce RTX 3060", "12"}));
        String gpuJob = "\"cpu_count\":1,\"gpu_count\":1,\"gpu_name\":\"RTX 3060\"";
        JsonNode before = cluster.startRun(consumer, node, region, "BATCH", gpuJob);
        JsonNode price = TestServer.ok(TestServer.call(cluster.operator(), "POST", "/v1/prices",
                "{\"resource\":\"gpu\",\"gpu_name\":\"RTX 3060\",\"amount_per_hour\":\"0.9\"}"), 201);
        assertThat(price.get("gpu_name").asText()).isEqualTo("NVIDIA GeForce RTX 3060");
        assertThat(Instant.parse(price.get("effective_from").asText()).toEpochMilli())
                .isGreaterThanOrEqualTo(before.get("started_at_ms").asLong());
        JsonNode after = cluster.startRun(consumer, node, region, "BATCH", gpuJob);
        for (JsonNode r : List.of(before, after)) node.reportOk(r.get("uuid").asText(), "{\"status\":\"COMPLETED\",\"exit_code\":0}");

        JsonNode oldUsage = BillingCluster.awaitUsage(consumer, before.get("uuid").asText(), l -> !l.isEmpty()).getFirst();
        JsonNode newUsage = BillingCluster.awaitUsage(consumer, after.get("uuid").asText(), l -> !l.isEmpty()).getFirst();
        // 1 core (0.01) + the GPU at the price in force when each run started.
        assertThat(new BigDecimal(oldUsage.get("price_per_hour").asText())).isEqualByComparingTo("0.09");
        assertThat(new BigDecimal(newUsage.get("price_per_hour").asText())).isEqualByComparingTo("0.91");
        assertThat(newUsage.get("gpu_name").asText()).isEqualTo("NVIDIA GeForce RTX 3060");
        assertThat(newUsage.get("gpu_count").asInt()).isEqualTo(1);
        for (JsonNode u : List.of(oldUsage, newUsage)) {
            assertThat(new BigDecimal(u.get("amount").asText())).isEqualByComparingTo(
                    Metering.amount(u.get("seconds").asLong(), new BigDecimal(u.get("price_per_hour").asText())));
        }
        var inForce = consumer.ok("GET", "/v1/prices?filter[in_force]=true&filter[gpu_registry_uuid]="
                + price.get("gpu_registry_uuid").asText(), null, 200);
        assertThat(inForce.get("data")).singleElement().satisfies(p -> assertThat(p.get("uuid")).isEqualTo(price.get("uuid")));
    }

    @Test
    void theServiceEstimatesAJobsPriceAtTheCardInForce() {
        var spec = Json.object().put("cpu_count", 2).put("min_ram_gb", 4).put("min_storage_gb", 10).put("gpu_count", 0);
        assertThat(cluster.server.billing().priceEstimate(spec)).isEqualByComparingTo(CPU_JOB_PRICE);
        var h100 = Json.object().put("cpu_count", 1).put("gpu_count", 2).put("gpu_name", "H100").put("min_ram_gb", 0.5);
        assertThat(cluster.server.billing().priceEstimate(h100)).isEqualByComparingTo("5.011"); // 2 × 2.50 + 0.01 + 0.001
        var anyGpu = Json.object().put("gpu_count", 1);
        assertThat(cluster.server.billing().priceEstimate(anyGpu)).as("no model: the default GPU price").isEqualByComparingTo("0.50");
        Tenant t = cluster.tenant();
        assertThat(cluster.server.billing().mayStartWork(t.accountUuid())).as("GALLEY_BILLING=record refuses nobody").isTrue();
        assertThat(cluster.server.billing().balanceOf(t.accountUuid())).get()
                .satisfies(b -> assertThat(b.balance()).isEqualByComparingTo("0"));
        assertThat(cluster.server.billing().balanceOf(java.util.UUID.randomUUID())).isEmpty();
    }

    static JsonNode only(JsonNode page, String type) {
        var matches = new java.util.ArrayList<JsonNode>();
        page.get("data").forEach(t -> { if (t.get("type").asText().equals(type)) matches.add(t); });
        assertThat(matches).hasSize(1);
        return matches.getFirst();
    }

    static BigDecimal sum(List<JsonNode> usage) {
        return usage.stream().map(u -> new BigDecimal(u.get("amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static BigDecimal balance(Tenant t) {
        JsonNode b = t.ok("GET", "/v1/balance", null, 200);
        assertThat(b.get("account_uuid").asText()).isEqualTo(t.accountUuid().toString());
        return new BigDecimal(b.get("balance").asText());
    }

    static JsonNode nodeView(SimulatedNode node) {
        return TestServer.ok(TestServer.call(cluster.operator(), "GET", "/v1/nodes/" + node.uuid, null), 200);
    }

    /** Waits for a heartbeat of the node after {@code epochMs}: an observable event, not a sleep. */
    static void awaitHeartbeatAfter(SimulatedNode node, long epochMs) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() ->
                Instant.parse(nodeView(node).get("last_seen_at").asText()).toEpochMilli() > epochMs);
    }
}
