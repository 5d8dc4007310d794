package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.server.it.TestServer.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each bug {@link WriteEndpointFuzzIT} found, as the smallest request that showed it: these answered 500 (or not in
 * the API's error shape) before their fix.
 */
class FuzzFindingsIT {
    static Tenant tenant;

    @BeforeAll
    static void setUp() {
        tenant = TestServer.newTenant();
    }

    /** A node key of the tenant, minted by the operator (consumers cannot grant node rights). */
    static GalleyClient nodeKey() {
        JsonNode key = ok(TestServer.call(TestServer.operator(), "POST", "/v1/api-keys",
                "{\"name\":\"node\",\"permissions\":[\"preset:compute_node\"],\"account_uuid\":\"" + tenant.accountUuid() + "\"}"), 201);
        return TestServer.client(key.get("public_key").asText() + ":" + key.get("secret_key").asText());
    }

    static ObjectNode registration(String name) {
        ObjectNode body = (ObjectNode) WriteEndpoint.read("{\"name\":\"" + name + "\",\"region_code\":\"eu-west-1\"}");
        body.set("hardware", WriteEndpoint.read("""
                {"cpus":[{"name":"c","num_cores":2}],"rams":[{"memory_gb_max":4,"memory_gb_available":4}],
                 "hard_drives":[{"name":"/","max_capacity_gb":10,"available_capacity_gb":10}],"gpus":[]}"""));
        return body;
    }

    @Test
    void aNodeMayRegisterWithoutSayingItsAgentVersion() {
        // agent_version is optional and nullable in the API; it was written to a NOT NULL column as null (500).
        ApiResponse absent = TestServer.call(nodeKey(), "POST", "/v1/nodes/register", registration("no-version-" + TestServer.randomHex(6)).toString());
        assertThat(absent.status()).as(absent.bodyText()).isEqualTo(201);
        ObjectNode asNull = registration("null-version-" + TestServer.randomHex(6));
        asNull.putNull("agent_version");
        ApiResponse nulled = TestServer.call(nodeKey(), "POST", "/v1/nodes/register", asNull.toString());
        assertThat(nulled.status()).as(nulled.bodyText()).isEqualTo(201);
        assertThat(nulled.json().get("agent_version").asText()).isEmpty();
    }

    @Test
    void aNumberWhoseExponentOverflowsIsA400NamingTheBody() {
        // Jackson's BigDecimal reader throws NumberFormatException (no IOException) for such exponents.
        for (String number : List.of("1e-2147483649", "-1e2147483649")) {
            for (String[] endpoint : List.of(new String[]{"POST", "/v1/api-keys"}, new String[]{"POST", "/v1/jobs"},
                    new String[]{"POST", "/v1/job-recipes"})) {
                ApiResponse r = tenant.call(endpoint[0], endpoint[1], "{\"name\":\"k\",\"permissions\":" + number + "}");
                assertThat(r.status()).as("%s %s with %s: %s", endpoint[0], endpoint[1], number, r.bodyText()).isEqualTo(400);
                assertThat(r.json().at("/error/errors/0/field").asText()).isEqualTo("body");
            }
        }
    }
}
