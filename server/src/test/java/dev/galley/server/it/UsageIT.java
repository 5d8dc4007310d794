package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.it.TestServer.Tenant;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage records and their summaries over signed HTTP (spec §9). The records here are written with SQL, spread over
 * days, jobs and GPU models as a month of real runs would be; the metering that writes real ones is MeteringIT's.
 */
class UsageIT {
    static BillingCluster cluster;
    static Tenant consumer;
    static final UUID JOB_A = UUID.randomUUID();
    static final UUID JOB_B = UUID.randomUUID();
    static final UUID NODE = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        cluster = BillingCluster.shared();
        consumer = cluster.tenant();
        // Day 1: job A on an H100 (2 records); day 2: job A (1) and job B, CPU only (1); day 3: job B (1).
        insert(JOB_A, "2026-04-01T10:00:00Z", 3600, "NVIDIA H100 80GB HBM3", "2.500000");
        insert(JOB_A, "2026-04-01T11:00:00Z", 3600, "NVIDIA H100 80GB HBM3", "2.500000");
        insert(JOB_A, "2026-04-02T23:30:00Z", 1800, "NVIDIA H100 80GB HBM3", "1.250000");
        insert(JOB_B, "2026-04-02T08:00:00Z", 600, null, "0.010000");
        insert(JOB_B, "2026-04-03T00:00:00Z", 60, null, "0.000500");
    }

    static void insert(UUID job, String start, long seconds, String gpu, String amount) throws Exception {
        try (var c = cluster.sql(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO usage_records (uuid, account_uuid, job_uuid, job_run_uuid, node_uuid, provider_account_uuid, period_start,
                    period_end, seconds, gpu_name, gpu_count, cpu_count, ram_gb, storage_gb, price_per_hour, amount, currency, created_at)
                VALUES (gen_random_uuid(), ?, ?, gen_random_uuid(), ?, gen_random_uuid(), ?, ?, ?, ?, ?, 1, 1, 0, 1, CAST(? AS numeric), 'USD', ?)""")) {
            Instant s = Instant.parse(start);
            ps.setObject(1, consumer.accountUuid());
            ps.setObject(2, job);
            ps.setObject(3, NODE);
            ps.setTimestamp(4, Timestamp.from(s));
            ps.setTimestamp(5, Timestamp.from(s.plusSeconds(seconds)));
            ps.setLong(6, seconds);
            ps.setString(7, gpu);
            ps.setInt(8, gpu == null ? 0 : 1);
            ps.setString(9, amount);
            ps.setTimestamp(10, Timestamp.from(s.plusSeconds(seconds)));
            ps.executeUpdate();
        }
    }

    static JsonNode summary(Tenant t, String query) {
        return t.ok("GET", "/v1/usage/summary?" + query, null, 200);
    }

    @Test
    void theListFiltersByJobRunNodeAndPeriod() {
        assertThat(consumer.ok("GET", "/v1/usage", null, 200).get("total").asInt()).isEqualTo(5);
        assertThat(consumer.ok("GET", "/v1/usage?filter[job_uuid]=" + JOB_B, null, 200).get("total").asInt()).isEqualTo(2);
        assertThat(consumer.ok("GET", "/v1/usage?filter[node_uuid]=" + NODE, null, 200).get("total").asInt()).isEqualTo(5);
        assertThat(consumer.ok("GET", "/v1/usage?filter[period_start]=2026-04-02", null, 200).get("total").asInt()).isEqualTo(2);
        assertThat(consumer.ok("GET", "/v1/usage?filter[period_start]=2026-04-01T10:30:00Z,2026-04-03", null, 200)
                .get("total").asInt()).isEqualTo(4);
        JsonNode oldestFirst = consumer.ok("GET", "/v1/usage?sort=created_at&limit=1", null, 200);
        assertThat(oldestFirst.get("data").get(0).get("period_start").asText()).isEqualTo("2026-04-01T10:00:00.000Z");
        String run = oldestFirst.get("data").get(0).get("job_run_uuid").asText();
        assertThat(consumer.ok("GET", "/v1/usage?filter[job_run_uuid]=" + run, null, 200).get("total").asInt()).isEqualTo(1);
        assertThat(consumer.call("GET", "/v1/usage?sort=updated_at", null).status()).isEqualTo(400);
        assertThat(consumer.call("GET", "/v1/usage?filter[amount]=1", null).status()).isEqualTo(400);
        assertThat(consumer.call("GET", "/v1/usage?filter[period_start]=yesterday", null).status()).isEqualTo(400);
    }

    @Test
    void nobodyReadsAnotherAccountsUsageWithoutUsageReadAll() {
        Tenant other = cluster.tenant();
        assertThat(other.ok("GET", "/v1/usage", null, 200).get("total").asInt()).isZero();
        assertThat(other.ok("GET", "/v1/usage?filter[job_uuid]=" + JOB_A, null, 200).get("total").asInt()).isZero();
        assertThat(other.call("GET", "/v1/usage?filter[account_uuid]=" + consumer.accountUuid(), null).status()).isEqualTo(403);
        assertThat(other.call("GET", "/v1/usage/summary?filter[account_uuid]=" + consumer.accountUuid(), null).status()).isEqualTo(403);
        assertThat(summary(other, "group_by=job").get("totals").get("records").asInt()).isZero();
        Tenant nodeOnly = TestServer.newTenant(cluster.server, List.of("preset:compute_node"));
        assertThat(nodeOnly.call("GET", "/v1/usage", null).status()).as("a node key has no usage rights").isEqualTo(403);
        JsonNode asOperator = TestServer.ok(TestServer.call(cluster.operator(), "GET",
                "/v1/usage/summary?group_by=job&filter[account_uuid]=" + consumer.accountUuid(), null), 200);
        assertThat(asOperator.get("totals").get("records").asInt()).isEqualTo(5);
        assertThat(asOperator.get("account_uuid").asText()).isEqualTo(consumer.accountUuid().toString());
    }

    @Test
    void aSummaryPerDayIsInCalendarOrderWithTheTotalsOfEverything() {
        JsonNode s = summary(consumer, "group_by=day");
        assertThat(s.get("object").asText()).isEqualTo("usage_summary");
        assertThat(s.get("currency").asText()).isEqualTo("USD");
        assertThat(s.get("data")).extracting(g -> g.get("key").asText()).containsExactly("2026-04-01", "2026-04-02", "2026-04-03");
        assertThat(s.get("data").get(0).get("amount").asText()).isEqualTo("5.000000");
        assertThat(s.get("data").get(0).get("seconds").asLong()).isEqualTo(7200);
        assertThat(s.get("data").get(1).get("amount").asText()).isEqualTo("1.260000");
        assertThat(s.get("data").get(1).get("records").asInt()).isEqualTo(2);
        assertThat(s.get("totals").get("amount").asText()).isEqualTo("6.260500");
        assertThat(s.get("totals").get("seconds").asLong()).isEqualTo(9660);
        assertThat(s.get("truncated").asBoolean()).isFalse();
        assertThat(summary(consumer, "").get("group_by").asText()).as("per day by default").isEqualTo("day");
    }

    @Test
    void aSummaryPerJobOrGpuIsLargestFirstAndCanBeCutAtALimit() {
        JsonNode jobs = summary(consumer, "group_by=job");
        assertThat(jobs.get("data")).extracting(g -> g.get("key").asText()).containsExactly(JOB_A.toString(), JOB_B.toString());
        assertThat(jobs.get("data").get(0).get("amount").asText()).isEqualTo("6.250000");
        JsonNode gpus = summary(consumer, "group_by=gpu_name");
        assertThat(gpus.get("data").get(0).get("key").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(gpus.get("data").get(1).get("key").isNull()).as("CPU-only usage").isTrue();
        JsonNode cut = summary(consumer, "group_by=job&limit=1");
        assertThat(cut.get("data")).hasSize(1);
        assertThat(cut.get("truncated").asBoolean()).isTrue();
        assertThat(cut.get("totals").get("amount").asText()).isEqualTo("6.260500");
        JsonNode day2 = summary(consumer, "group_by=job&filter[period_start]=2026-04-02,2026-04-02");
        assertThat(day2.get("totals").get("records").asInt()).isEqualTo(2);
        assertThat(day2.get("period_start_from").asText()).isEqualTo("2026-04-02T00:00:00.000Z");
        assertThat(day2.get("period_start_to").asText()).isEqualTo("2026-04-02T23:59:59.999Z");
    }

    @Test
    void badSummaryQueriesAre400sNamingTheParameter() {
        for (String[] bad : new String[][] {{"group_by=week", "group_by"}, {"group_by=gpu", "group_by"}, {"limit=0", "limit"},
                {"limit=1001", "limit"}, {"limit=ten", "limit"}, {"page=2", "page"}, {"sort=created_at", "sort"},
                {"filter[job_uuid]=" + JOB_A, "filter[job_uuid]"}, {"filter[period_start]=2026-13-01", "filter[period_start]"},
                {"group_by=day&group_by=job", "group_by"}}) {
            var r = consumer.call("GET", "/v1/usage/summary?" + bad[0], null);
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.json().at("/error/errors")).as(bad[0]).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(bad[1]));
        }
    }
}
