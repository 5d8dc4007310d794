package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiResponse;
import dev.galley.server.it.TestServer.Tenant;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rate card over signed HTTP (spec §9): who reads it, who adds to it, and what a price may be. */
class PricesIT {
    static BillingCluster cluster;

    @BeforeAll
    static void start() {
        cluster = BillingCluster.shared();
    }

    static ApiResponse post(String body) {
        return TestServer.call(cluster.operator(), "POST", "/v1/prices", body);
    }

    @Test
    void theSeededCardIsReadableByConsumersAndAnyKeyThatReadsJobs() {
        Tenant consumer = cluster.tenant();
        JsonNode inForce = consumer.ok("GET", "/v1/prices?filter[in_force]=true&limit=50", null, 200);
        assertThat(inForce.get("total").asInt()).as("52 GPU models, the default GPU, core, RAM, storage").isGreaterThanOrEqualTo(56);
        JsonNode h100 = consumer.ok("GET", "/v1/prices?filter[in_force]=true&filter[gpu_registry_uuid]=6a1e5eed-0000-4000-8000-000000000105",
                null, 200).get("data").get(0);
        assertThat(h100.get("amount_per_hour").asText()).isEqualTo("2.500000");
        assertThat(h100.get("gpu_name").asText()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(h100.get("currency").asText()).isEqualTo("USD");
        JsonNode cpu = consumer.ok("GET", "/v1/prices?filter[in_force]=true&filter[resource]=cpu_core", null, 200);
        assertThat(cpu.get("data")).singleElement().satisfies(p -> {
            assertThat(p.get("amount_per_hour").asText()).isEqualTo("0.010000");
            assertThat(p.get("gpu_registry_uuid").isNull()).isTrue();
        });
        Tenant jobsReader = TestServer.newTenant(cluster.server, List.of("jobs.read.own"));
        assertThat(jobsReader.call("GET", "/v1/prices", null).status()).isEqualTo(200);
        Tenant nodesOnly = TestServer.newTenant(cluster.server, List.of("nodes.read.own"));
        assertThat(nodesOnly.call("GET", "/v1/prices", null).status()).isEqualTo(403);
        assertThat(consumer.call("GET", "/v1/prices?sort=-updated_at", null).status()).isEqualTo(400);
        assertThat(consumer.call("GET", "/v1/prices?filter[in_force]=false", null).status()).isEqualTo(400);
        assertThat(consumer.call("GET", "/v1/prices?filter[resource]=tpu", null).status()).isEqualTo(400);
    }

    @Test
    void onlyOperatorsAddVersionsAndAFutureVersionWaitsForItsTime() {
        Tenant consumer = cluster.tenant();
        String body = "{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"amount_per_hour\":\"0.16\",\"effective_from\":\"2099-01-01T00:00:00Z\"}";
        assertThat(consumer.call("POST", "/v1/prices", body).status()).isEqualTo(403);
        JsonNode future = TestServer.ok(post(body), 201);
        assertThat(future.get("effective_from").asText()).isEqualTo("2099-01-01T00:00:00.000Z");
        assertThat(future.get("amount_per_hour").asText()).isEqualTo("0.160000");
        JsonNode a2Now = consumer.ok("GET", "/v1/prices?filter[in_force]=true&filter[gpu_registry_uuid]="
                + future.get("gpu_registry_uuid").asText(), null, 200).get("data");
        assertThat(a2Now).singleElement().satisfies(p -> assertThat(p.get("amount_per_hour").asText()).isEqualTo("0.150000"));
        JsonNode history = consumer.ok("GET", "/v1/prices?filter[gpu_registry_uuid]=" + future.get("gpu_registry_uuid").asText(), null, 200);
        assertThat(history.get("total").asInt()).isEqualTo(2);
        assertThat(history.get("data").get(0).get("uuid")).as("newest first").isEqualTo(future.get("uuid"));
        JsonNode storage = TestServer.ok(post("{\"resource\":\"storage_gb\",\"amount_per_hour\":\"0\",\"effective_from\":\"2099-01-01T00:00:00Z\","
                + "\"currency\":\"USD\"}"), 201);
        assertThat(storage.get("gpu_name").isNull()).isTrue();
    }

    @Test
    void aReplicaInAnotherCurrencyThanTheRateCardRefusesToStart() {
        assertThatThrownBy(() -> TestServer.start(cluster.db, BillingCluster.TTL_MS,
                c -> c.withBilling(dev.galley.server.config.BillingConfig.DEFAULT.withCurrency("EUR"))))
                .isInstanceOf(dev.galley.server.config.ConfigException.class)
                .hasMessageContaining("GALLEY_CURRENCY is EUR").hasMessageContaining("USD");
    }

    @Test
    void everyBadPriceIsA400NamingTheField() {
        String past = Instant.now().minus(1, ChronoUnit.DAYS).toString();
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"amount_per_hour\":0.5}", "amount_per_hour"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"amount_per_hour\":\"-0.5\"}", "amount_per_hour"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"amount_per_hour\":\"0.1234567\"}", "amount_per_hour"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"amount_per_hour\":\"1000000.01\"}", "amount_per_hour"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\"}", "amount_per_hour"),
                Map.entry("{\"resource\":\"tpu\",\"amount_per_hour\":\"1\"}", "resource"),
                Map.entry("{\"amount_per_hour\":\"1\"}", "resource"),
                Map.entry("{\"resource\":\"cpu_core\",\"gpu_name\":\"A2\",\"amount_per_hour\":\"1\"}", "gpu_name"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"Voodoo 5\",\"amount_per_hour\":\"1\"}", "gpu_name"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_registry_uuid\":\"00000000-0000-4000-8000-000000000000\",\"amount_per_hour\":\"1\"}",
                        "gpu_registry_uuid"),
                Map.entry("{\"resource\":\"gpu\",\"gpu_name\":\"A2\",\"gpu_registry_uuid\":\"6a1e5eed-0000-4000-8000-000000000122\","
                        + "\"amount_per_hour\":\"1\"}", "gpu_name"),
                Map.entry("{\"resource\":\"ram_gb\",\"amount_per_hour\":\"1\",\"effective_from\":\"" + past + "\"}", "effective_from"),
                Map.entry("{\"resource\":\"ram_gb\",\"amount_per_hour\":\"1\",\"currency\":\"EUR\"}", "currency"),
                Map.entry("{\"resource\":\"ram_gb\",\"amount_per_hour\":\"1\",\"version\":2}", "version"));
        cases.forEach((body, field) -> {
            ApiResponse r = post(body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().at("/error/errors")).as(body).anySatisfy(e -> assertThat(e.get("field").asText()).isEqualTo(field));
        });
    }
}
