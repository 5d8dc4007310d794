package dev.galley.server.it;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.GalleyClient;
import dev.galley.server.it.TestServer.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's {@code reward_multiplier} (spec §10) as the API shows it, checked against the OpenAPI document. */
class GpuRewardMultiplierIT {

    private static JsonNode byName(Tenant reader, String name) {
        JsonNode page = reader.ok("GET", "/v1/gpu-registry?filter[name]=" + name + "&limit=50", null, 200);
        for (JsonNode gpu : page.get("data")) if (gpu.get("name").asText().equals(name)) return gpu;
        throw new AssertionError("no registry entry named " + name + " in " + page);
    }

    @Test
    void seededModelsCarryTheirMultiplierAsADecimalString() {
        Tenant reader = TestServer.newTenant();
        assertThat(byName(reader, "NVIDIA GeForce RTX 4090").get("reward_multiplier").asText()).isEqualTo("1.00");
        assertThat(byName(reader, "NVIDIA GeForce RTX 5090").get("reward_multiplier").asText()).isEqualTo("1.81");
        JsonNode h100 = byName(reader, "NVIDIA H100 80GB HBM3");
        assertThat(h100.get("reward_multiplier").isTextual()).isTrue();
        assertThat(h100.get("reward_multiplier").asText()).isEqualTo("1.76");
        JsonNode one = reader.ok("GET", "/v1/gpu-registry/" + h100.get("uuid").asText(), null, 200);
        assertThat(one.get("reward_multiplier").asText()).isEqualTo("1.76");
    }

    @Test
    void aModelANodeAddedHasNoMultiplier() {
        Tenant provider = TestServer.newTenant(List.of("preset:compute_consumer"));
        GalleyClient key = SimulatedNode.nodeKey(TestServer.server(), provider);
        String model = "Unrated GPU " + TestServer.randomHex(8);
        ok(TestServer.call(key, "POST", "/v1/nodes/register",
                NodeReportLimitsIT.registration("unrated-" + TestServer.randomHex(6), List.of(model)).toString()), 201);
        JsonNode gpu = byName(TestServer.newTenant(), model);
        assertThat(gpu.has("reward_multiplier")).isTrue();
        assertThat(gpu.get("reward_multiplier").isNull()).isTrue();
    }
}
